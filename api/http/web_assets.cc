#include "api/http/web_assets.h"

#include <set>

#include "engine/sha256.h"

namespace navolg::http {
namespace {

// How many hex digits of the hash a hashed name carries: 40 bits, enough that two versions
// of one file never share a name by chance.
constexpr std::size_t kNameHashDigits = 10;

// "app.js" with hash "3f9a..." -> "app.3f9a1c2e0b.js".
std::string HashedName(const std::string& name, const std::string& hash) {
  const std::size_t dot = name.rfind('.');
  const std::string tag = hash.substr(0, kNameHashDigits);
  if (dot == std::string::npos) return name + "." + tag;
  return name.substr(0, dot) + "." + tag + name.substr(dot);
}

// The ways one file names another: a page's "/assets/NAME", a module's "./NAME", in either
// quote. The closing quote keeps "app.js" from matching inside "app.json".
std::vector<std::pair<std::string, std::string>> ReferenceForms(const std::string& name) {
  std::vector<std::pair<std::string, std::string>> forms;
  for (const char* prefix : {"/assets/", "./"}) {
    for (const char quote : {'"', '\''}) {
      forms.emplace_back(quote + (prefix + name) + quote, std::string(1, quote) + prefix);
    }
  }
  return forms;
}

bool RefersTo(std::string_view text, const std::string& name) {
  for (const auto& [form, prefix] : ReferenceForms(name)) {
    if (text.find(form) != std::string_view::npos) return true;
  }
  return false;
}

// `text` with every reference to `name` naming `hashed_name` instead.
std::string Rewrite(std::string text, const std::string& name, const std::string& hashed_name) {
  for (const auto& [form, prefix] : ReferenceForms(name)) {
    const std::string replacement = prefix + hashed_name + form.back();
    for (std::size_t at = text.find(form); at != std::string::npos;
         at = text.find(form, at + replacement.size())) {
      text.replace(at, form.size(), replacement);
    }
  }
  return text;
}

// Builds the assets depth first: a file's references are rewritten once the files it
// refers to have their hashed names.
class Builder {
 public:
  explicit Builder(const std::vector<std::pair<std::string_view, std::string_view>>& files) {
    for (const auto& [name, text] : files) sources_.emplace(std::string(name), text);
  }

  Result<std::map<std::string, WebAsset, std::less<>>> BuildAll() {
    for (const auto& [name, text] : sources_) {
      if (Status made = Make(name); !made.ok()) return made;
    }
    return std::move(made_);
  }

 private:
  Status Make(const std::string& name) {
    if (made_.contains(name)) return Status::Ok();
    if (!in_progress_.insert(name).second) {
      return Status(Code::kInvalidArgument, "web files refer to each other in a circle: " + name);
    }
    std::string text(sources_.at(name));
    for (const auto& [other, other_text] : sources_) {
      if (other == name || !RefersTo(sources_.at(name), other)) continue;
      if (Status made = Make(other); !made.ok()) return made;
      text = Rewrite(std::move(text), other, made_.at(other).hashed_name);
    }
    auto hash = Sha256Hex(text);
    if (!hash.ok()) return hash.status();
    WebAsset asset{name, HashedName(name, *hash), std::move(text), *hash};
    made_.emplace(name, std::move(asset));
    in_progress_.erase(name);
    return Status::Ok();
  }

  std::map<std::string, std::string_view> sources_;
  std::map<std::string, WebAsset, std::less<>> made_;
  std::set<std::string> in_progress_;
};

}  // namespace

Result<WebAssets> WebAssets::Build(
    const std::vector<std::pair<std::string_view, std::string_view>>& files) {
  auto built = Builder(files).BuildAll();
  if (!built.ok()) return built.status();
  WebAssets assets;
  assets.by_name_ = std::move(*built);
  for (const auto& [name, asset] : assets.by_name_) {
    assets.name_of_hashed_.emplace(asset.hashed_name, name);
  }
  return assets;
}

WebAssets::Found WebAssets::Find(std::string_view name) const {
  if (auto own = by_name_.find(name); own != by_name_.end()) return {&own->second, false};
  auto original = name_of_hashed_.find(name);
  if (original == name_of_hashed_.end()) return {};
  return {&by_name_.find(original->second)->second, true};
}

}  // namespace navolg::http
