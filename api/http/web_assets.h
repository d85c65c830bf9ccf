// The web interface's files as they are served (api/http/handlers/web_handlers.cc): each
// under its own name and under a name that carries its content hash ("app.3f9a1c2e0b.js"),
// with every reference from one file to another rewritten to the hashed name: index.html's
// `"/assets/NAME"` (href, src) and a module's `"./NAME"` (import ... from). A file's hash is
// taken over its rewritten text, which holds the hashed names of the files it refers to, so a
// change of dom.js renames dom.js, every module that imports it (directly or not) and
// index.html's references to them. A browser may therefore keep a file under a hashed name
// for good (`immutable`): new content always comes under a new name.
//
// Built once, from the embedded files; immutable and thread-safe afterwards.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/status.h"

namespace navolg::http {

struct WebAsset {
  std::string name;         // "app.js": the file's own name
  std::string hashed_name;  // "app.3f9a1c2e0b.js": the name with the start of `hash`
  std::string text;         // the file with its references to other files rewritten
  std::string hash;         // SHA-256 (hex) of `text`
};

class WebAssets {
 public:
  // The files (name, text), names unique and without folders. Fails (kInvalidArgument, for
  // the developer) when files refer to each other in a circle: no name could hold the
  // other's hash.
  static Result<WebAssets> Build(
      const std::vector<std::pair<std::string_view, std::string_view>>& files);

  // The file served at `name`, which is its own name or its hashed name: `asset` nullptr for
  // neither, and `hashed` says which one it was.
  struct Found {
    const WebAsset* asset = nullptr;
    bool hashed = false;
  };
  Found Find(std::string_view name) const;

 private:
  std::map<std::string, WebAsset, std::less<>> by_name_;
  std::map<std::string, std::string, std::less<>> name_of_hashed_;
};

}  // namespace navolg::http
