// The web files under hashed names (api/http/web_assets.h): a name changes whenever what the
// browser would load under it changes, and only then.
#include "api/http/web_assets.h"

#include <gtest/gtest.h>

#include <regex>

namespace navolg::testing {
namespace {

using Files = std::vector<std::pair<std::string_view, std::string_view>>;

constexpr std::string_view kPage =
    "<link rel=\"stylesheet\" href=\"/assets/app.css\">\n"
    "<script type=\"module\" src=\"/assets/app.js\"></script>\n";
constexpr std::string_view kApp = "import { h } from \"./dom.js\";\nimport './api.js';\n";
constexpr std::string_view kApi = "export const api = 1;\n";
constexpr std::string_view kDom = "export const h = 1;\n";
constexpr std::string_view kStyle = "body { margin: 0; }\n";

http::WebAssets Build(const Files& files) {
  auto built = http::WebAssets::Build(files);
  EXPECT_TRUE(built.ok()) << built.status().message();
  return built.ok() ? std::move(*built) : http::WebAssets();
}

const http::WebAsset& Get(const http::WebAssets& assets, std::string_view name) {
  static const http::WebAsset kNone;
  const http::WebAsset* asset = assets.Find(name).asset;
  EXPECT_NE(asset, nullptr) << name;
  return asset != nullptr ? *asset : kNone;
}

TEST(WebAssetsTest, ReferencesNameTheHashedFiles) {
  const http::WebAssets assets = Build({{"index.html", kPage},
                                        {"app.js", kApp},
                                        {"api.js", kApi},
                                        {"dom.js", kDom},
                                        {"app.css", kStyle}});
  const http::WebAsset& app = Get(assets, "app.js");
  EXPECT_TRUE(std::regex_match(app.hashed_name, std::regex("app\\.[0-9a-f]{10}\\.js")))
      << app.hashed_name;
  EXPECT_EQ(app.text, "import { h } from \"./" + Get(assets, "dom.js").hashed_name +
                          "\";\nimport './" + Get(assets, "api.js").hashed_name + "';\n");
  const std::string& page = Get(assets, "index.html").text;
  EXPECT_NE(page.find("href=\"/assets/" + Get(assets, "app.css").hashed_name + "\""),
            std::string::npos)
      << page;
  EXPECT_NE(page.find("src=\"/assets/" + app.hashed_name + "\""), std::string::npos) << page;
  EXPECT_EQ(Get(assets, "api.js").text, kApi) << "a file without references stays as it is";

  const http::WebAssets::Found by_hash = assets.Find(app.hashed_name);
  EXPECT_EQ(by_hash.asset, &app);
  EXPECT_TRUE(by_hash.hashed);
  EXPECT_FALSE(assets.Find("app.js").hashed);
  EXPECT_EQ(assets.Find("app.0000000000.js").asset, nullptr) << "a name of no version";
}

// A change deep down renames the file and everything that loads it, nothing else.
TEST(WebAssetsTest, AChangeRenamesTheFileAndWhatRefersToIt) {
  const http::WebAssets before = Build({{"index.html", kPage},
                                        {"app.js", kApp},
                                        {"api.js", kApi},
                                        {"dom.js", kDom},
                                        {"app.css", kStyle}});
  const http::WebAssets after = Build({{"index.html", kPage},
                                       {"app.js", kApp},
                                       {"api.js", kApi},
                                       {"dom.js", "export const h = 2;\n"},
                                       {"app.css", kStyle}});
  EXPECT_NE(Get(before, "dom.js").hashed_name, Get(after, "dom.js").hashed_name);
  EXPECT_NE(Get(before, "app.js").hashed_name, Get(after, "app.js").hashed_name)
      << "app.js imports dom.js";
  EXPECT_NE(Get(before, "index.html").text, Get(after, "index.html").text);
  EXPECT_EQ(Get(before, "api.js").hashed_name, Get(after, "api.js").hashed_name);
  EXPECT_EQ(Get(before, "app.css").hashed_name, Get(after, "app.css").hashed_name);
  EXPECT_EQ(after.Find(Get(before, "dom.js").hashed_name).asset, nullptr)
      << "the old version's name is gone";
}

TEST(WebAssetsTest, FilesThatReferToEachOtherInACircleAreRefused) {
  auto built =
      http::WebAssets::Build({{"a.js", "import \"./b.js\";\n"}, {"b.js", "import \"./a.js\";\n"}});
  EXPECT_FALSE(built.ok());
}

}  // namespace
}  // namespace navolg::testing
