// The adoption queue of a role: a range of adoption_queue_by_role (organisation_id, role,
// process_id, product, instance), so a page needs no sort and its cursor is a point in it.
#include <algorithm>
#include <charconv>

#include "storage/page_queries_sql.h"

namespace navolg::storage {
namespace {

constexpr std::int64_t kMaxLimit = 200;

struct QueueCursor {
  std::string process_id;
  std::string product;
  std::int64_t instance = 0;
};

// "PROCESS~PRODUCT~INSTANCE": ids and keys never hold '~', and it needs no escaping in a URL.
std::string FormatCursor(const AwaitedAdoptionRow& row) {
  return row.process_id + "~" + row.product + "~" + std::to_string(row.instance);
}

std::optional<QueueCursor> ParseCursor(const std::string& text) {
  const auto first = text.find('~');
  const auto second = first == std::string::npos ? first : text.find('~', first + 1);
  if (second == std::string::npos) return std::nullopt;
  QueueCursor cursor{text.substr(0, first), text.substr(first + 1, second - first - 1), 0};
  const char* begin = text.data() + second + 1;
  const char* end = text.data() + text.size();
  auto [ptr, error] = std::from_chars(begin, end, cursor.instance);
  if (begin == end || error != std::errc() || ptr != end || cursor.process_id.empty() ||
      cursor.product.empty()) {
    return std::nullopt;
  }
  return cursor;
}

}  // namespace

Result<AdoptionQueuePage> QueryAdoptionQueue(StatementCache& statements,
                                             std::int64_t organisation_id, const std::string& role,
                                             std::int64_t limit, const std::string& after) {
  limit = std::clamp<std::int64_t>(limit, 1, kMaxLimit);
  QueueCursor cursor;
  if (!after.empty()) {
    auto parsed = ParseCursor(after);
    if (!parsed) {
      return Status(Code::kInvalidArgument,
                    "after is geen vervolg dat een eerdere pagina heeft gegeven.");
    }
    cursor = std::move(*parsed);
  }
  AdoptionQueuePage page;
  {
    Query rows(statements,
               "SELECT q.process_id, p.title, p.workflow_key, p.workflow_version, q.product, "
               "q.instance, q.version, q.hash, q.saved_at, q.offered_at, q.offered_by, "
               "(SELECT u.name FROM users u WHERE u.id = q.offered_by) "
               "FROM adoption_queue q "
               "JOIN processes p ON p.id = q.process_id "
               "WHERE q.organisation_id = :org AND q.role = :role "
               "AND (q.process_id, q.product, q.instance) > (:ap, :aq, :ai) "
               "ORDER BY q.process_id, q.product, q.instance LIMIT :limit");
    rows->bind(":org", organisation_id);
    rows->bind(":role", role);
    rows->bind(":ap", cursor.process_id);
    rows->bind(":aq", cursor.product);
    rows->bind(":ai", cursor.instance);
    rows->bind(":limit", limit + 1);
    while (rows->executeStep()) {
      AwaitedAdoptionRow& row = page.items.emplace_back(
          AwaitedAdoptionRow{rows->getColumn(0).getString(), rows->getColumn(1).getString(),
                             rows->getColumn(2).getString(), rows->getColumn(3).getInt64(),
                             rows->getColumn(4).getString(), rows->getColumn(5).getInt64(),
                             rows->getColumn(6).getInt64(), rows->getColumn(7).getString(),
                             rows->getColumn(8).getString(), std::nullopt, "", ""});
      if (!rows->getColumn(9).isNull()) {
        row.offered_at = rows->getColumn(9).getString();
        row.offered_by = rows->getColumn(10).getString();
        if (!rows->getColumn(11).isNull()) row.offered_by_name = rows->getColumn(11).getString();
      }
    }
  }
  if (static_cast<std::int64_t>(page.items.size()) > limit) {
    page.items.pop_back();
    page.next = FormatCursor(page.items.back());
  }
  Query count(statements,
              "SELECT count(*) FROM adoption_queue WHERE organisation_id = ? AND role = ?");
  count->bind(1, organisation_id);
  count->bind(2, role);
  count->executeStep();
  page.total = count->getColumn(0).getInt64();
  return page;
}

}  // namespace navolg::storage
