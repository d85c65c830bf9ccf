// The output formats the API negotiates: choosing a media type from Accept, CSV for Dutch
// spreadsheets, escaped HTML pages and literal Markdown.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "api/http/csv.h"
#include "api/http/html_page.h"
#include "api/http/negotiation.h"
#include "api/http/verslag_render.h"

namespace navolg::http {
namespace {

TEST(ChooseMediaTypeTest, PicksTheBestOfferedType) {
  const std::vector<std::string> offered = {"application/json", "text/csv"};
  struct Case {
    std::string accept;
    std::optional<std::string> chosen;
  };
  const std::vector<Case> cases = {
      {"", "application/json"},  // no preference: the first
      {"   ", "application/json"},
      {"*/*", "application/json"},
      {"text/csv", "text/csv"},
      {"TEXT/CSV", "text/csv"},
      {"text/csv; charset=utf-8", "text/csv"},
      {"text/*", "text/csv"},
      {"application/json;q=0.5, text/csv", "text/csv"},
      {"application/json;q=0.5, text/csv;q=0.4", "application/json"},
      {"text/csv;q=0, */*", "application/json"},
      {"*/*;q=0.1, text/csv;q=0", "application/json"},
      {"application/json;q=0, text/csv;q=0", std::nullopt},
      {"application/xml", std::nullopt},
      {"text/html, application/xhtml+xml, */*;q=0.8", "application/json"},
      {"text/csv;q=1.000", "text/csv"},
      {"text/csv;q=2", std::nullopt},  // malformed: ignored
      {"text/csv;q=abc, application/json;q=0.3", "application/json"},
      {"csv", std::nullopt},
      {"*/csv", std::nullopt},
      {",,, text/csv ,", "text/csv"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(ChooseMediaType(c.accept, offered), c.chosen) << "Accept: " << c.accept;
  }
  // The server's order breaks ties.
  EXPECT_EQ(ChooseMediaType("*/*", {"text/html", "text/markdown"}), "text/html");
  EXPECT_EQ(ChooseMediaType("text/markdown, text/html", {"text/html", "text/markdown"}),
            "text/html");
  EXPECT_EQ(ChooseMediaType("text/markdown, text/*;q=0.9", {"text/html", "text/markdown"}),
            "text/markdown");
}

TEST(CsvTest, QuotesAsRfc4180WithSemicolons) {
  EXPECT_EQ(CsvField("Marktplein"), "Marktplein");
  EXPECT_EQ(CsvField(""), "");
  EXPECT_EQ(CsvField("a;b"), "\"a;b\"");
  EXPECT_EQ(CsvField("zei \"ja\""), "\"zei \"\"ja\"\"\"");
  EXPECT_EQ(CsvField("twee\nregels"), "\"twee\nregels\"");
  EXPECT_EQ(CsvField("a,b"), "a,b");  // the comma is not the separator
  EXPECT_EQ(CsvField(" spatie"), "\" spatie\"");
  EXPECT_EQ(CsvField("café"), "café");
  EXPECT_EQ(CsvRecord({"a", "b;c", ""}), "a;\"b;c\";\r\n");
}

TEST(CsvTest, NeutralisesFormulas) {
  EXPECT_EQ(CsvField("=HYPERLINK(\"http://x\")"), "\"'=HYPERLINK(\"\"http://x\"\")\"");
  EXPECT_EQ(CsvField("=1+1"), "'=1+1");
  EXPECT_EQ(CsvField("+31 6"), "'+31 6");
  EXPECT_EQ(CsvField("-2"), "'-2");
  EXPECT_EQ(CsvField("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(CsvField("\tx"), "'\tx");
  EXPECT_EQ(CsvField("\rx"), "\"'\rx\"");
  EXPECT_EQ(CsvField("a=b"), "a=b");  // only the first character matters
}

TEST(HtmlPageTest, EscapesAndFramesADutchPage) {
  EXPECT_EQ(HtmlEscape("<script>alert('x')</script> & \"y\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;y&quot;");
  EXPECT_EQ(HtmlEscapeLines("a<b\r\nc\n"), "a&lt;b<br>c<br>");
  const std::string page = HtmlPage("Titel <b>", "<p>inhoud</p>");
  EXPECT_EQ(page.rfind("<!DOCTYPE html>\n<html lang=\"nl\">", 0), 0u);
  EXPECT_NE(page.find("<meta charset=\"utf-8\">"), std::string::npos);
  EXPECT_NE(page.find("<title>Titel &lt;b&gt;</title>"), std::string::npos);
  EXPECT_NE(page.find("@media print"), std::string::npos);
  EXPECT_NE(page.find("<main>\n<p>inhoud</p></main>"), std::string::npos);
  const Response response = HtmlResponse(page);
  EXPECT_EQ(response.content_type, "text/html; charset=utf-8");
  EXPECT_NE(response.headers.at("Content-Security-Policy").find("default-src 'none'"),
            std::string::npos);
}

TEST(MarkdownEscapeTest, EverySyntaxCharacterIsLiteral) {
  EXPECT_EQ(MarkdownEscape("Marktplein"), "Marktplein");
  EXPECT_EQ(MarkdownEscape("**vet** en _schuin_"), "\\*\\*vet\\*\\* en \\_schuin\\_");
  EXPECT_EQ(MarkdownEscape("[klik](javascript:alert(1))"), "\\[klik\\](javascript:alert(1))");
  EXPECT_EQ(MarkdownEscape("<script>alert(1)</script>"), "\\<script\\>alert(1)\\</script\\>");
  EXPECT_EQ(MarkdownEscape("a | b"), "a \\| b");
  EXPECT_EQ(MarkdownEscape("`code` & ~~weg~~ ![x]"), "\\`code\\` \\& \\~\\~weg\\~\\~ \\!\\[x\\]");
  EXPECT_EQ(MarkdownEscape("C:\\pad"), "C:\\\\pad");
  // Lines cannot start a block.
  EXPECT_EQ(MarkdownEscape("# kop"), "\\# kop");
  EXPECT_EQ(MarkdownEscape("> citaat"), "\\> citaat");
  EXPECT_EQ(MarkdownEscape("- punt"), "\\- punt");
  EXPECT_EQ(MarkdownEscape("+ punt"), "\\+ punt");
  EXPECT_EQ(MarkdownEscape("==="), "\\===");
  EXPECT_EQ(MarkdownEscape("12. punt"), "12\\. punt");
  EXPECT_EQ(MarkdownEscape("3) punt"), "3\\) punt");
  EXPECT_EQ(MarkdownEscape("2026 was. Goed"), "2026 was. Goed");
  EXPECT_EQ(MarkdownEscape("    code"), "code");
  // Line breaks stay, as hard breaks; blank lines separate paragraphs.
  EXPECT_EQ(MarkdownEscape("een\ntwee"), "een\\\ntwee");
  EXPECT_EQ(MarkdownEscape("een\n\n- twee"), "een\n\n\\- twee");
  EXPECT_EQ(MarkdownEscape("een\r\n# twee"), "een\\\n\\# twee");
}

}  // namespace
}  // namespace navolg::http
