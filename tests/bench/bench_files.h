// Files the benchmark programs share: the folder for their databases and the repository's
// own files (workflow definitions).
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace navolg::bench {

// $NAVOLG_BENCH_DIR, else $TMPDIR/navolg-bench. Large databases are kept there between runs.
inline std::filesystem::path BenchDir() {
  const char* dir = std::getenv("NAVOLG_BENCH_DIR");
  return dir ? dir : std::filesystem::temp_directory_path() / "navolg-bench";
}

// A file of the source tree, e.g. "workflows/standaard-participatie.json" ("" if unreadable).
inline std::string ReadSourceFile(const std::string& relative) {
  std::ifstream in(std::string(NAVOLG_SOURCE_DIR) + "/" + relative);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace navolg::bench
