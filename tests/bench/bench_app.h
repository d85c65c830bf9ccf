// The HTTP API of a benchmark's database as a client gets it, minus the network: App over a
// group committer and a read store on that file, with a fixed clock.
#pragma once

#include <cstdlib>
#include <memory>
#include <string>

#include "api/http/app.h"
#include "api/http/metrics.h"
#include "storage/group_committer.h"
#include "storage/read_store.h"

namespace navolg::bench {

class BenchApp {
 public:
  // Exits the benchmark program when the database does not open (nothing to measure).
  BenchApp(const std::string& path, Time now) {
    auto committer = storage::GroupCommitter::Start({path}, {});
    if (!committer.ok()) std::abort();
    committer_ = std::move(*committer);
    auto reads = storage::ReadStore::Open(path, committer_->catalog());
    if (!reads.ok()) std::abort();
    reads_ = std::move(*reads);
    app_ = std::make_unique<http::App>(
        http::Services{committer_.get(), reads_.get(), [now] { return now; }, &metrics_});
  }

  // GET `target` with a bearer token.
  http::Response Get(const std::string& target, const std::string& token) {
    http::Request request;
    request.method = "GET";
    request.target = target;
    request.headers["Authorization"] = "Bearer " + token;
    return app_->Handle(request);
  }

 private:
  std::unique_ptr<storage::GroupCommitter> committer_;
  std::unique_ptr<storage::ReadStore> reads_;
  http::Metrics metrics_;
  std::unique_ptr<http::App> app_;
};

}  // namespace navolg::bench
