// navolg org webhook against a real database file, run as a user would: a URL is checked
// before it is stored, shown, replaced and removed.
#include "tests/cli/cli_runner.h"

namespace navolg {
namespace {

using namespace navolg::testing;

class WebhookCliTest : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    ASSERT_EQ(Navolg({"org", "add", "--db", Db(), "utrecht", "Gemeente Utrecht"}).exit_code, 0);
  }
  std::string Db() const { return File("navolg.db").string(); }
  RunResult Webhook(std::vector<std::string> args) {
    args.insert(args.begin(), {"org", "webhook", "--db", Db()});
    return Navolg(args);
  }
};

TEST_F(WebhookCliTest, IsShownSetAndRemoved) {
  RunResult none = Webhook({"utrecht"});
  EXPECT_EQ(none.exit_code, 0) << none.err;
  EXPECT_EQ(none.out, "organisatie utrecht heeft geen webhook\n");

  RunResult set = Webhook({"utrecht", "https://hooks.utrecht.nl/navolg?bron=navolg"});
  EXPECT_EQ(set.exit_code, 0) << set.err;
  EXPECT_EQ(set.out,
            "webhook van utrecht ingesteld op https://hooks.utrecht.nl/navolg?bron=navolg\n");
  EXPECT_EQ(Webhook({"utrecht"}).out,
            "webhook van utrecht: https://hooks.utrecht.nl/navolg?bron=navolg\n");
  ASSERT_EQ(Webhook({"utrecht", "http://10.0.0.5:8081/hook"}).exit_code, 0);
  EXPECT_EQ(Webhook({"utrecht"}).out, "webhook van utrecht: http://10.0.0.5:8081/hook\n");

  RunResult removed = Webhook({"utrecht", "--remove"});
  EXPECT_EQ(removed.exit_code, 0) << removed.err;
  EXPECT_EQ(removed.out, "webhook van utrecht verwijderd\n");
  EXPECT_EQ(Webhook({"utrecht"}).out, "organisatie utrecht heeft geen webhook\n");
}

// Each refusal names what to change, exits 1 (2 for a usage error), and stores nothing.
TEST_F(WebhookCliTest, BadUrlsAreRefusedClearlyAndChangeNothing) {
  ASSERT_EQ(Webhook({"utrecht", "http://127.0.0.1:8081/hook"}).exit_code, 0);
  const struct {
    const char* url;
    const char* says;
  } cases[] = {
      {"ftp://example.nl/x",
       "het schema 'ftp' wordt niet ondersteund; gebruik http:// of https://"},
      {"example.nl/hook", "begint met http:// of https://"},
      {"http://", "de URL noemt geen host"},
      {"http://gebruiker:geheim@example.nl/", "geen gebruikersnaam of wachtwoord"},
      {"http://example.nl:99999/", "de poort is een getal van 1 tot en met 65535"},
      {"http://example.nl:0/", "de poort is een getal van 1 tot en met 65535"},
      {"http://example.nl/a b", "geen spaties"},
      {"http://example.nl/#deel", "geen fragment"},
      {"http://exa$mple.nl/", "geen geldige hostnaam"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.url);
    RunResult refused = Webhook({"utrecht", c.url});
    EXPECT_EQ(refused.exit_code, 1);
    EXPECT_TRUE(Contains(refused.err, "Ongeldige webhook-URL: ")) << refused.err;
    EXPECT_TRUE(Contains(refused.err, c.says)) << refused.err;
  }
  EXPECT_EQ(Webhook({"utrecht"}).out, "webhook van utrecht: http://127.0.0.1:8081/hook\n");

  RunResult unknown = Webhook({"amsterdam", "http://example.nl/"});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_TRUE(Contains(unknown.err, "Organisatie 'amsterdam' bestaat niet.")) << unknown.err;
  EXPECT_EQ(Webhook({"utrecht", "http://example.nl/", "--remove"}).exit_code, 2);
  EXPECT_EQ(Webhook({}).exit_code, 2);
}

}  // namespace
}  // namespace navolg
