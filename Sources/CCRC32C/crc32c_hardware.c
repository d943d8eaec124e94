// CRC-32C with the x86-64 SSE 4.2 CRC32 instruction: the one piece of Fahras that a CPU
// instruction makes ten times faster and that Swift cannot reach without C. The function is
// compiled for SSE 4.2 alone (a target attribute) and only called after a runtime check.
#include "ccrc32c.h"
#include <string.h>

#if defined(__x86_64__)

int fahras_crc32c_hardware_available(void) {
  __builtin_cpu_init();
  return __builtin_cpu_supports("sse4.2") ? 1 : 0;
}

__attribute__((target("sse4.2")))
uint32_t fahras_crc32c_hardware(uint32_t state, const void *bytes, size_t length) {
  const unsigned char *p = (const unsigned char *)bytes;
  uint64_t crc = state;
  while (length > 0 && ((uintptr_t)p & 7) != 0) {
    crc = __builtin_ia32_crc32qi((uint32_t)crc, *p++);
    length--;
  }
  while (length >= 8) {
    uint64_t word;
    memcpy(&word, p, 8);
    crc = __builtin_ia32_crc32di(crc, word);
    p += 8;
    length -= 8;
  }
  while (length > 0) {
    crc = __builtin_ia32_crc32qi((uint32_t)crc, *p++);
    length--;
  }
  return (uint32_t)crc;
}

#else

int fahras_crc32c_hardware_available(void) { return 0; }

uint32_t fahras_crc32c_hardware(uint32_t state, const void *bytes, size_t length) {
  (void)bytes;
  (void)length;
  return state;
}

#endif
