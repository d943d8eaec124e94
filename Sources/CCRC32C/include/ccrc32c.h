#ifndef FAHRAS_CCRC32C_H
#define FAHRAS_CCRC32C_H

#include <stddef.h>
#include <stdint.h>

/// 1 when the CPU has the SSE 4.2 CRC32 instruction (x86-64), else 0.
int fahras_crc32c_hardware_available(void);

/// Continues a raw (not pre/post-inverted) CRC-32C register over `length` bytes with the CPU's
/// CRC32 instruction. Call only when `fahras_crc32c_hardware_available()` returned 1.
uint32_t fahras_crc32c_hardware(uint32_t state, const void *bytes, size_t length);

#endif
