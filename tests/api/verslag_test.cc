// The participatieverslag, GET /api/v1/processes/{id}/participatieverslag: a standard process
// walked to afgerond through the API with hostile texts in its title, inbreng and
// motivations, read as HTML and as Markdown, directly and through a real server.
#include <algorithm>

#include "tests/api/walk_fixture.h"

namespace navolg::testing {
namespace {

using nlohmann::json;

constexpr const char* kHostileTitle = "<script>alert(\"titel\")</script> **Marktplein** | # kop";

class VerslagTest : public WalkFixture, public ::testing::WithParamInterface<bool> {
 protected:
  void SetUp() override {
    over_http_ = GetParam();
    WalkFixture::SetUp();
    if (HasFatalFailure()) return;
    id_ = ProcessAtDuiden({kHostileTitle, UserOf("adviseur").id, "2026-03-10", 30, kOrgA,
                           json{{{"tekst", "<img src=x onerror=alert(1)>"}},
                                {{"tekst", "[klik](javascript:alert(1))\n# kop"}},
                                {{"tekst", "Meer bomen"}}}});
    json opbrengst = CompleteOpbrengstendocument();
    opbrengst["reacties"] = {{{"inbreng", "inbreng-1"}, {"besluit", "overgenomen"}},
                             {{"inbreng", "inbreng-2"},
                              {"besluit", "niet_overgenomen"},
                              {"motivatie", "Past niet: <b>vet</b> | kolom"}},
                             {{"inbreng", "inbreng-3"},
                              {"besluit", "deels_overgenomen"},
                              {"motivatie", "Deels, want budget."}}};
    Step(id_, "2026-03-20T09:00:00.000Z", "PUT", "adviseur", "/products/opbrengstendocument",
         opbrengst);
    Step(id_, "2026-03-21T09:00:00.000Z", "POST", "adviseur", "/transitions/naar_terugkoppeling");
    Step(id_, "2026-03-25T09:00:00.000Z", "PUT", "adviseur", "/products/terugkoppelingsbericht",
         CompleteTerugkoppelingsbericht());
    Step(id_, "2026-03-26T09:00:00.000Z", "POST", "adviseur", "/transitions/naar_besluit");
    Step(id_, "2026-04-15T20:00:00.000Z", "PUT", "bestuur", "/products/besluit",
         CompleteBesluit("2026-04-15"));
    Step(id_, "2026-04-20T09:00:00.000Z", "PUT", "adviseur", "/products/besluitterugkoppeling",
         CompleteBesluitterugkoppeling());
    Step(id_, "2026-04-21T09:00:00.000Z", "POST", "adviseur", "/transitions/naar_evaluatie");
    Step(id_, "2026-05-01T09:00:00.000Z", "PUT", "manager", "/products/evaluatie",
         CompleteEvaluatie());
    Step(id_, "2026-05-02T09:00:00.000Z", "POST", "manager", "/transitions/afronden");
    now_ = At("2026-05-04T09:00:00.000Z");
  }

  http::Response Verslag(const std::string& accept, const std::string& role = "auditor",
                         const char* org = kOrgA, const std::string& id = "") {
    return Send("GET", "/api/v1/processes/" + (id.empty() ? id_ : id) + "/participatieverslag",
                Token(role, org), "", {{"Accept", accept}});
  }

  static bool Contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
  }

  std::string id_;
};

TEST_P(VerslagTest, HtmlShowsEveryInbrengWithItsResponseAndTheDecision) {
  http::Response response = Verslag("text/html");
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.content_type, "text/html; charset=utf-8");
  EXPECT_TRUE(Contains(Header(response, "Content-Security-Policy"), "default-src 'none'"));
  EXPECT_EQ(Header(response, "Vary"), "Accept, Accept-Encoding");
  const std::string& html = response.body;
  EXPECT_EQ(html.rfind("<!DOCTYPE html>\n<html lang=\"nl\">", 0), 0u);
  EXPECT_TRUE(Contains(html,
                       "<h1>Participatieverslag: &lt;script&gt;alert(&quot;titel&quot;)"
                       "&lt;/script&gt; **Marktplein** | # kop</h1>"));
  EXPECT_TRUE(Contains(html, "Het proces is beëindigd op 2 mei 2026 (Afgerond)."));
  EXPECT_TRUE(Contains(html, "Opgesteld op 4 mei 2026"));

  // Who took part and how.
  EXPECT_TRUE(Contains(html, "<h2 id=\"betrokkenen\">Wie waren betrokken en hoe</h2>"));
  EXPECT_TRUE(Contains(html,
                       "<tr><td>1</td><td>10 maart 2026</td><td>bijeenkomst</td>"
                       "<td>40</td><td></td><td>3</td></tr>"));

  // Each point of inbreng in one row with its response and the motivation.
  EXPECT_TRUE(Contains(html, "<p>3 van 3 punten beantwoord.</p>"));
  EXPECT_TRUE(Contains(html,
                       "<tr><td>inbreng-1</td><td>Gespreksverslag 1</td><td>&lt;img "
                       "src=x onerror=alert(1)&gt;</td><td>overgenomen</td><td></td></tr>"));
  EXPECT_TRUE(Contains(html,
                       "<tr><td>inbreng-2</td><td>Gespreksverslag 1</td><td>[klik]"
                       "(javascript:alert(1))<br># kop</td><td>niet overgenomen</td>"
                       "<td>Past niet: &lt;b&gt;vet&lt;/b&gt; | kolom</td></tr>"));
  EXPECT_TRUE(Contains(html,
                       "<tr><td>inbreng-3</td><td>Gespreksverslag 1</td><td>Meer bomen"
                       "</td><td>deels overgenomen</td><td>Deels, want budget.</td></tr>"));

  // The decision, and the framing documents.
  EXPECT_TRUE(Contains(html, "<h3>Besluit</h3>"));
  EXPECT_TRUE(Contains(html, "<dt>Datum van het besluit</dt>\n<dd>15 april 2026</dd>"));
  EXPECT_TRUE(Contains(html, "<dt>Samenvatting</dt>\n<dd>Plan vastgesteld</dd>"));
  EXPECT_TRUE(Contains(html, "<dt>Participatieniveau</dt>\n<dd>adviseren</dd>"));

  // Nothing the users typed became markup.
  EXPECT_FALSE(Contains(html, "<script"));
  EXPECT_FALSE(Contains(html, "<img"));
  EXPECT_FALSE(Contains(html, "<b>"));
}

// Times as the clock in Amsterdam showed them: the kadernotitie was saved in winter time
// (06:01 UTC is 07:01 CET), the besluit after the clocks went forward on 29 March (20:00 UTC
// is 22:00 CEST); the chosen adviseur by name, not by id.
TEST_P(VerslagTest, TimesAreDutchLocalTimesAndPeopleHaveNames) {
  const std::string html = Verslag("text/html").body;
  EXPECT_TRUE(Contains(html, "Opgesteld op 4 mei 2026 11:00 door navolg")) << html;
  EXPECT_TRUE(Contains(html,
                       "<h3>Kadernotitie</h3>\n<p class=\"meta\">Versie 1 van 10 maart 2026 "
                       "07:01, vastgesteld door bestuur.</p>"))
      << html;
  EXPECT_TRUE(
      Contains(html, "<h3>Besluit</h3>\n<p class=\"meta\">Versie 1 van 15 april 2026 22:00.</p>"))
      << html;
  EXPECT_TRUE(Contains(html, "<dt>Adviseur</dt>\n<dd>adviseur van gemeente-a</dd>")) << html;
  EXPECT_FALSE(Contains(html, UserOf("adviseur").id));
  EXPECT_FALSE(Contains(html, "T06:01")) << "an RFC 3339 time in the verslag";

  const std::string md = Verslag("text/markdown").body;
  EXPECT_TRUE(Contains(md, "Versie 1 van 15 april 2026 22:00.")) << md;
}

TEST_P(VerslagTest, MarkdownIsLiteralTextWithTheSameContent) {
  http::Response response = Verslag("text/markdown");
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.content_type, "text/markdown; charset=utf-8; variant=CommonMark");
  const std::string& md = response.body;
  EXPECT_EQ(md.rfind("# Participatieverslag: \\<script\\>alert(\"titel\")\\</script\\> "
                     "\\*\\*Marktplein\\*\\* \\| \\# kop\n",
                     0),
            0u)
      << md;
  EXPECT_TRUE(Contains(md,
                       "## Inbreng en wat ermee is gedaan\n\n### Reacties op de inbreng\n\n"
                       "3 van 3 punten beantwoord.\n\n"
                       "| Kenmerk | Bron | Tekst | Verwerking | Motivering |\n"
                       "| --- | --- | --- | --- | --- |\n"
                       "| inbreng-1 | Gespreksverslag 1 | \\<img src=x onerror=alert(1)\\> "
                       "| overgenomen |  |\n"
                       "| inbreng-2 | Gespreksverslag 1 | \\[klik\\](javascript:alert(1))"
                       "<br>\\# kop | niet overgenomen | Past niet: \\<b\\>vet\\</b\\> \\| "
                       "kolom |\n"
                       "| inbreng-3 | Gespreksverslag 1 | Meer bomen | deels overgenomen | "
                       "Deels, want budget. |\n"))
      << md;
  EXPECT_TRUE(Contains(md,
                       "### Besluit\n\nVersie 1 van 15 april 2026 22:00.\n\n"
                       "**Datum van het besluit**\\\n15 april 2026\n\n"))
      << md;
  EXPECT_TRUE(Contains(md, "**Inbreng**: 3 punten, zie Inbreng en wat ermee is gedaan."));
  // Every '<' the users typed is escaped; the only markup is the line break inside a cell.
  std::string without_breaks = md;
  for (std::size_t at; (at = without_breaks.find("<br>")) != std::string::npos;) {
    without_breaks.erase(at, 4);
  }
  for (std::size_t i = 0; i < without_breaks.size(); ++i) {
    if (without_breaks[i] == '<') {
      EXPECT_TRUE(i > 0 && without_breaks[i - 1] == '\\') << without_breaks.substr(i, 40);
    }
  }
}

TEST_P(VerslagTest, HtmlByDefaultAndNothingElse) {
  for (const std::string& accept : {std::string(""), std::string("*/*"),
                                    std::string("text/html,application/xhtml+xml,"
                                                "application/xml;q=0.9,*/*;q=0.8")}) {
    http::Response response = Verslag(accept);
    EXPECT_EQ(response.status, 200) << accept;
    EXPECT_EQ(response.content_type, "text/html; charset=utf-8") << accept;
  }
  EXPECT_EQ(Verslag("text/markdown;q=0.9, text/html;q=0.1").content_type,
            "text/markdown; charset=utf-8; variant=CommonMark");
  for (const char* accept : {"application/json", "text/csv", "text/html;q=0"}) {
    http::Response response = Verslag(accept);
    EXPECT_EQ(response.status, 406) << accept;
    EXPECT_EQ(response.content_type, "application/problem+json");
    EXPECT_TRUE(Contains(Body(response).value("detail", ""), "text/html en als text/markdown"));
  }
}

TEST_P(VerslagTest, EveryReaderOfTheProcessAndNoOneElse) {
  for (const char* role : {"bestuur", "manager", "adviseur", "auditor"}) {
    EXPECT_EQ(Verslag("text/markdown", role).status, 200) << role;
  }
  EXPECT_EQ(Verslag("text/markdown", "beheerder").status, 403);
  EXPECT_EQ(Send("GET", "/api/v1/processes/" + id_ + "/participatieverslag", "").status, 401);

  // Another organisation's process is as unknown as one that never existed.
  const std::string unknown = "p-0000000000009999aaaa";
  for (const char* role : {"bestuur", "manager", "adviseur", "auditor"}) {
    for (const char* accept : {"text/html", "text/markdown"}) {
      http::Response theirs = Verslag(accept, role, kOrgB);
      http::Response none = Verslag(accept, role, kOrgB, unknown);
      EXPECT_EQ(theirs.status, 404) << role;
      EXPECT_EQ(none.status, 404) << role;
      EXPECT_FALSE(Contains(theirs.body, "Marktplein"));
      std::string theirs_body = theirs.body;
      theirs_body.replace(theirs_body.find(id_), id_.size(), unknown);
      EXPECT_EQ(theirs_body, none.body);
    }
  }
}

TEST_P(VerslagTest, ANewProcessHasAnAlmostEmptyVerslag) {
  now_ = At("2026-06-01T09:00:00.000Z");
  const std::string fresh = NewProcess("Nieuw plein");
  http::Response response = Verslag("text/markdown", "manager", kOrgA, fresh);
  ASSERT_EQ(response.status, 200);
  EXPECT_TRUE(Contains(response.body, "Het proces loopt; huidige fase: Kaders vastleggen."));
  EXPECT_TRUE(Contains(response.body, "0 van 0 punten beantwoord.\n\nGeen.\n"));
  EXPECT_TRUE(Contains(response.body, "Er zijn nog geen procesproducten opgesteld."));
  EXPECT_FALSE(Contains(response.body, "Wie waren betrokken"));
}

INSTANTIATE_TEST_SUITE_P(AppAndServer, VerslagTest, ::testing::Values(false, true),
                         [](const ::testing::TestParamInfo<bool>& param) {
                           return param.param ? "OverHttp" : "DirectToApp";
                         });

}  // namespace
}  // namespace navolg::testing
