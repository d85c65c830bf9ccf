// `navolg serve` with a wrong setting, as an operator meets it: exit code 2, nothing started,
// and a message that names the flag and its environment variable and says what is allowed.
#include <cstdlib>
#include <string>
#include <vector>

#include "tests/cli/cli_runner.h"

namespace navolg::testing {
namespace {

struct WrongSetting {
  std::vector<std::string> args;
  std::string names;    // the setting the message must name
  std::string allowed;  // what it must say is allowed
};

class ServeSettingsTest : public CliTest, public ::testing::WithParamInterface<WrongSetting> {};

TEST_P(ServeSettingsTest, AWrongSettingIsNamedAndNothingStarts) {
  const WrongSetting& wrong = GetParam();
  std::vector<std::string> args = {"serve", "--db", File("navolg.db").string()};
  args.insert(args.end(), wrong.args.begin(), wrong.args.end());
  RunResult result = Navolg(args);
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_TRUE(Contains(result.err, wrong.names)) << result.err;
  EXPECT_TRUE(Contains(result.err, wrong.allowed)) << result.err;
  EXPECT_TRUE(Contains(result.err, "gebruik: navolg serve")) << result.err;
  EXPECT_FALSE(Contains(result.out, "navolg luistert")) << result.out;
  EXPECT_FALSE(fs::exists(File("navolg.db"))) << "a refused start must not create a database";
}

INSTANTIATE_TEST_SUITE_P(
    EachSetting, ServeSettingsTest,
    ::testing::Values(
        WrongSetting{{"--listen", "127.0.0.1"}, "--listen (NAVOLG_LISTEN)", "HOST:PORT"},
        WrongSetting{{"--listen", "127.0.0.1:99999"}, "--listen (NAVOLG_LISTEN)", "65535"},
        WrongSetting{
            {"--durability", "fast"}, "--durability (NAVOLG_DURABILITY)", "full of normal"},
        WrongSetting{{"--log", "yes"}, "--log (NAVOLG_LOG)", "on of off"},
        WrongSetting{{"--io-threads", "0"}, "--io-threads (NAVOLG_IO_THREADS)", "1 tot en met 64"},
        WrongSetting{{"--handler-threads", "abc"}, "--handler-threads", "1 tot en met 1024"},
        WrongSetting{{"--read-timeout-ms", "5"}, "--read-timeout-ms", "100 tot en met 600000"},
        WrongSetting{{"--max-connections", "-1"}, "--max-connections", "geheel getal"},
        WrongSetting{{"--max-connections-per-address", "0"},
                     "--max-connections-per-address (NAVOLG_MAX_CONNECTIONS_PER_ADDRESS)",
                     "1 tot en met 100000"},
        WrongSetting{{"--trusted-proxy", "10.0.0.1,proxy.example.nl"},
                     "--trusted-proxy (NAVOLG_TRUSTED_PROXIES): 'proxy.example.nl'",
                     "10.0.0.0/8"},
        WrongSetting{{"--trusted-proxy", "10.0.0.0/33"}, "--trusted-proxy", "adresblok"},
        WrongSetting{{"--forwarded-header", "x-real-ip"},
                     "--forwarded-header (NAVOLG_FORWARDED_HEADER)",
                     "forwarded of x-forwarded-for"},
        WrongSetting{
            {"--metrics-listen", "9100"}, "--metrics-listen (NAVOLG_METRICS_LISTEN)", "HOST:PORT"},
        WrongSetting{
            {"--watch-interval", "99999999999999999999"}, "--watch-interval", "geheel getal"},
        WrongSetting{{"--webhook-timeout-ms", "1"}, "--webhook-timeout-ms", "geheel getal"},
        WrongSetting{{"--webhook-retry-base-ms", "1000", "--webhook-retry-max-ms", "999"},
                     "--webhook-retry-max-ms",
                     "1000 tot en met"},
        WrongSetting{{"--public-url", "ftp://navolg.example.nl"}, "--public-url", "http"},
        WrongSetting{{"--bogus", "1"}, "onbekende optie --bogus", "--db PATH"},
        WrongSetting{{"stray"}, "onverwacht argument 'stray'", "--listen"}));

TEST_F(CliTest, ServeNamesAWrongSettingFromTheEnvironment) {
  ::setenv("NAVOLG_IO_THREADS", "many", 1);
  RunResult result = Navolg({"serve", "--db", File("navolg.db").string()});
  ::unsetenv("NAVOLG_IO_THREADS");
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_TRUE(Contains(result.err, "--io-threads (NAVOLG_IO_THREADS): 'many'")) << result.err;
}

TEST_F(CliTest, AFlagWinsOverTheEnvironment) {
  // The environment's wrong value is not read when the flag is given; the flag's is.
  ::setenv("NAVOLG_DURABILITY", "sometimes", 1);
  RunResult result = Navolg(
      {"serve", "--db", File("navolg.db").string(), "--durability", "normal", "--log", "maybe"});
  ::unsetenv("NAVOLG_DURABILITY");
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_FALSE(Contains(result.err, "sometimes")) << result.err;
  EXPECT_TRUE(Contains(result.err, "--log (NAVOLG_LOG): 'maybe'")) << result.err;
}

TEST_F(CliTest, ServeHelpListsEverySetting) {
  RunResult result = Navolg({"serve", "--help"});
  EXPECT_EQ(result.exit_code, 0);
  for (const char* flag :
       {"--db", "--listen", "--durability", "--io-threads", "--handler-threads",
        "--read-timeout-ms", "--max-connections", "--log", "--metrics-token", "--public-url",
        "--signing-key", "--watch-interval", "--webhook-timeout-ms", "--webhook-retry-base-ms",
        "--webhook-retry-max-ms", "--max-connections-per-address", "--trusted-proxy",
        "--forwarded-header", "--metrics-listen"}) {
    EXPECT_TRUE(Contains(result.out, flag)) << flag;
  }
}

}  // namespace
}  // namespace navolg::testing
