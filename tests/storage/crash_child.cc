// The process that the crash test kills: it submits commands through the group committer
// from several threads and prints one line per acknowledged command,
//   ACK <process_id> <seq> <marker>
// only after Submit returned (the commit is durable), until it is killed with SIGKILL.
//
//   crash_child DB_PATH ORGANISATION_ID RUN_NUMBER
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "storage/group_committer.h"

namespace {

using navolg::Actor;
using nlohmann::json;

navolg::Time Now() {
  return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

void Say(const std::string& line) {
  // One write(2) per line: a pipe keeps writes up to PIPE_BUF bytes whole.
  const std::string text = line + "\n";
  if (::write(STDOUT_FILENO, text.data(), text.size()) < 0) _exit(3);
}

json Kadernotitie(const std::string& marker) {
  return {{"onderwerp", marker},         {"doel", "Crashtest"},
          {"vastgelegd", {"Niets"}},     {"ruimte", {"Alles"}},
          {"besluitvormer", "college"},  {"participatieniveau", "raadplegen"},
          {"doelgroepen", {"bewoners"}}, {"terugkoppeltermijn_dagen", 14}};
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) return 2;
  const std::string path = argv[1];
  const std::int64_t organisation = std::stoll(argv[2]);
  const std::string run = argv[3];
  auto committer = navolg::storage::GroupCommitter::Start({path}, {});
  if (!committer.ok()) {
    std::fprintf(stderr, "%s\n", committer.status().message().c_str());
    return 1;
  }
  const Actor adviseur{"u-crash", "adviseur"};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&, t] {
      // Half of the threads share one process per run, the others each have their own.
      const std::string process_id =
          "p-crash-" + run + "-" + (t % 2 == 0 ? std::string("shared") : std::to_string(t));
      navolg::storage::CommandRequest create;
      create.organisation_id = organisation;
      create.process_id = process_id;
      create.workflow_key = "standaard-participatie";
      create.command = navolg::CreateProcess{process_id, "Crashtest " + run};
      create.actor = adviseur;
      create.at = Now();
      auto created = (*committer)->Submit(std::move(create));
      if (created.committed()) {
        Say("ACK " + process_id + " " + std::to_string(created.events.back().seq) + " created");
      }
      for (int n = 0;; ++n) {
        const std::string marker = "m-" + run + "-" + std::to_string(t) + "-" + std::to_string(n);
        navolg::storage::CommandRequest save;
        save.organisation_id = organisation;
        save.process_id = process_id;
        save.command = navolg::SaveProduct{"kadernotitie", 0, Kadernotitie(marker)};
        save.actor = adviseur;
        save.at = Now();
        auto saved = (*committer)->Submit(std::move(save));
        if (saved.committed() && !saved.events.empty()) {
          Say("ACK " + process_id + " " + std::to_string(saved.events.front().seq) + " " + marker);
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();  // never: the test kills us
  return 0;
}
