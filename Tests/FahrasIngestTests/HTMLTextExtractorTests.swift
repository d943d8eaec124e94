import Testing

@testable import FahrasIngest

@Suite("HTML text extraction")
struct HTMLTextExtractorTests {
  @Test func extractsTitleAndBlockText() {
    let page = """
      <!DOCTYPE html>
      <html><head><meta charset="utf-8"><title>  The   Title </title></head>
      <body><p>Hello <b>world</b>,
         again.</p><div>Second</div>line<br>after break<ul><li>one</li><li>two</li></ul></body></html>
      """
    let result = html(page)
    #expect(result.title == "The Title")
    #expect(result.text == "Hello world, again.\nSecond\nline\nafter break\none\ntwo")
  }

  @Test func decodesNamedEntities() {
    let result = html(
      "<p>&amp; &lt; &gt; &quot; &apos; &copy; &reg; &hellip; &mdash; &ndash; &laquo; &raquo; &lsquo; &rsquo; &ldquo; &rdquo; &euro; &alpha;&Omega; &zwnj; &rlm;</p>"
    )
    #expect(result.text == "& < > \" ' © ® … — – « » ‘ ’ “ ” € αΩ \u{200C} \u{200F}")
    #expect(html("a&nbsp;b").text == "a\u{A0}b", "nbsp decodes to U+00A0 and is not collapsed")
    #expect(HTMLEntities.named.count == 253)
  }

  @Test func decodesNumericReferences() {
    #expect(html("&#1605;&#1585;&#x62D;&#X628;&#x627;").text == "مرحبا")
    #expect(html("&#x4E2D;&#x4e2d;&#20013;").text == "中中中")
    #expect(html("&#x1F600;").text == "😀")
    #expect(html("&#150;&#147;x&#148;").text == "–“x”", "0x80–0x9F are read as Windows-1252")
    #expect(
      html("a&#32;&#32;b&#10;c").text == "a b c",
      "decoded whitespace collapses like literal whitespace")
  }

  @Test func leavesInvalidOrUnknownReferencesAsWritten() {
    let text = "&bogus; &amp &copy x &#xZZ; &#; &#0; &#xD800; &#99999999; &#x110000; & alone &;"
    #expect(html(text).text == text)
    #expect(html("AT&T").text == "AT&T")
    #expect(html("&verylongentityname;").text == "&verylongentityname;")
  }

  @Test func dropsScriptsStylesAndFriends() {
    let page = """
      <style type="text/css">p { color: red } /* </p> */</style>
      <p>visible</p>
      <SCRIPT type="text/javascript">if (a < b && c > d) { document.write("</p><p>fake") }</SCRIPT >
      <noscript>enable JS</noscript>
      <template><p>template text</p></template>
      <iframe src="x">fallback</iframe>
      <p>end</p>
      """
    #expect(html(page).text == "visible\nend")
    #expect(html("<script>var s = '</scriptx>'; </script>after").text == "after")
    #expect(html("before<script>never closed <p>text</p>").text == "before")
    #expect(html("<style/>shown?</style>yes").text == "yes")
  }

  @Test func dropsCommentsCDATAAndDeclarations() {
    #expect(html("a<!-- hidden <p>x</p> -->b").text == "ab")
    #expect(html("a<!---->b<!-->c").text == "abc")
    #expect(html("a<![CDATA[ hidden ]]>b").text == "ab")
    #expect(html("<?xml version=\"1.0\"?><!DOCTYPE html>text").text == "text")
    #expect(html("keep<!-- never closed <p>lost</p>").text == "keep")
  }

  @Test func blockTagsBreakLinesAndCellsAreSpaced() {
    #expect(html("<div>a</div><div>b</div>").text == "a\nb")
    #expect(html("a<br>b<br/>c<BR />d").text == "a\nb\nc\nd")
    #expect(html("<h1>T</h1><h2>S</h2><p>P</p><blockquote>Q</blockquote>").text == "T\nS\nP\nQ")
    #expect(
      html("<table><tr><th>h1</th><th>h2</th></tr><tr><td>a</td><td>b</td></tr></table>").text
        == "h1 h2\na b")
    #expect(html("<b>foo</b>bar <i>baz</i>").text == "foobar baz", "inline tags do not split words")
    #expect(html("<p></p><p>  </p><div><div>x</div></div>").text == "x", "no empty lines")
    #expect(html("<pre>line 1\nline 2\n  indented</pre>").text == "line 1\nline 2\nindented")
  }

  @Test func collapsesWhitespace() {
    #expect(html("  a \n\t b  \r\n c  ").text == "a b c")
    #expect(html("\n\n<p>\n  x  \n</p>\n\n").text == "x")
  }

  @Test func survivesMalformedMarkup() {
    #expect(html("a < b and c > d").text == "a < b and c > d")
    #expect(html("I <3 HTML, 1<2").text == "I <3 HTML, 1<2")
    #expect(html("<p>unclosed <b>bold <i>italic").text == "unclosed bold italic")
    #expect(html("x <a href=\"a>b\" title='c>d'>link</a> y").text == "x link y")
    #expect(html("x <a href=a>b>link</a>").text == "x b>link")
    #expect(
      html("<a href=\"oops>text</a> more").text == "text more", "unclosed quote ends at the next >")
    #expect(html("text <").text == "text <")
    #expect(html("text <b").text == "text <b", "a tag that never ends is text")
    #expect(html("a</>b</ foo>c").text == "abc")
    #expect(html("</p>stray end tags</div></script>").text == "stray end tags")
    #expect(html("<p =x>odd attribute</p>").text == "odd attribute")
    #expect(html("<p/x/y>t").text == "t")
    #expect(html("").text == "")
    #expect(html("<").text == "<")
    #expect(html("&").text == "&")
  }

  @Test func readsArabicPages() {
    let page = """
      <html dir="rtl" lang="ar"><head><title>مكتبة &amp; فهرس</title></head>
      <body><h1>محرك البحث</h1><p>النص العربي&nbsp;هنا، مع <b>تشكيل</b>: ٱلْعَرَبِيَّة</p>
      <p>سطر&#1579;اني</p></body></html>
      """
    let result = html(page)
    #expect(result.title == "مكتبة & فهرس")
    #expect(result.text == "محرك البحث\nالنص العربي\u{A0}هنا، مع تشكيل: ٱلْعَرَبِيَّة\nسطرثاني")
  }

  @Test func titleFallsBackToHeadingThenFirstLine() {
    #expect(html("<title>Real</title><h1>Heading</h1>text").title == "Real")
    #expect(
      html("<title> </title><p>intro</p><h1>Big <em>Heading</em></h1>text").title == "Big Heading")
    #expect(html("<h1></h1><h1>Second</h1>").title == "Second", "the first non-empty h1")
    #expect(html("<H1>Up<br>Case</H1>").title == "Up Case")
    #expect(html("<h1>Unclosed heading<p>paragraph</p>").title == "Unclosed heading")
    #expect(html("<div>first line</div><div>second</div>").title == "first line")
    #expect(html("<p>only &amp; one</p>").title == "only & one")
    #expect(html("<title>T &lt;1&gt;\n  x</title>").title == "T <1> x")
    #expect(html("<title>first</title><svg><title>second</title></svg>body").title == "first")
    #expect(html("<title>first</title><svg><title>second</title></svg>body").text == "body")
    #expect(html("<title>never closed").title == "never closed")
  }

  @Test func headingTextStaysInBodyButTitleElementDoesNot() {
    let result = html("<head><title>Page</title></head><body><h1>Head</h1><p>Para</p></body>")
    #expect(result.title == "Page")
    #expect(result.text == "Head\nPara")
  }

  @Test func randomMarkupNeverTrapsAndOutputIsClean() {
    let pieces = [
      "<p>", "</p>", "<div class=\"a>b\">", "</div>", "<br>", "<b>", "</b>", "text", "نص", " ",
      "\n", "&amp;",
      "&#1605;", "&#x", "&", "<", ">", "<!--", "-->", "<script>", "</script>", "<style>",
      "</style>", "'", "\"",
      "<![CDATA[", "]]>", "<title>", "</title>", "<h1>", "</h1>", "<pre>", "</pre>", "<td>", "=",
      "/", "<a href=",
    ]
    var rng = SplitMix64(seed: 0x4854_4D4C)
    for _ in 0..<800 {
      var page = ""
      for _ in 0..<Int(rng.next() % 30) { page += pieces[Int(rng.next() % UInt64(pieces.count))] }
      let result = html(page)
      let lines =
        result.text.isEmpty
        ? [] : result.text.split(separator: "\n", omittingEmptySubsequences: false)
      for line in lines {
        #expect(!line.isEmpty)
        #expect(line.first != " " && line.last != " ")
        #expect(!line.contains("  "))
      }
      #expect(!result.title.contains("\n"))
    }
  }
}
