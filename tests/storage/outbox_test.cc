// The outbox's delivery bookkeeping, as the webhook sender uses it: what is due, claiming an
// attempt (one sender wins), recording failure (with the organisation paused) and delivery,
// and the webhook setting per organisation.
#include "storage/outbox.h"

#include "storage/outbox_writer.h"
#include "storage/writer.h"
#include "tests/storage/projection_check.h"
#include "tests/storage/store_fixture.h"

namespace navolg {
namespace {

using namespace navolg::testing;

class OutboxTest : public StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    auto outbox = storage::Outbox::Open(path_, *committer_);
    ASSERT_TRUE(outbox.ok()) << outbox.status().message();
    outbox_ = std::move(*outbox);
  }
  void TearDown() override {
    outbox_.reset();
    StoreFixture::TearDown();
  }

  Status SetWebhook(const std::string& slug, std::optional<std::string> url,
                    std::int64_t* dropped = nullptr) {
    auto db_owned = RawWriter(path_);
    storage::sql::Database& db = *db_owned;
    if (db.dialect() == storage::sql::Dialect::kSqlite) db.exec("PRAGMA busy_timeout = 10000");
    storage::Connection connection(db);
    auto set = storage::SetWebhookUrl(connection, slug, url);
    if (set.ok() && dropped != nullptr) *dropped = *set;
    return set.ok() ? Status::Ok() : set.status();
  }

  // A due-soon message about a made-up process, written through the committer.
  void Enqueue(std::int64_t organisation_id, const std::string& process_id, const char* at) {
    storage::DeadlineNotice notice;
    notice.kind = storage::kDueSoonKind;
    notice.organisation_slug = "gemeente-a";
    notice.process_id = process_id;
    notice.process_title = "Titel";
    notice.deadline_key = "terugkoppeling";
    notice.due = *ParseDate("2026-04-09");
    notice.today = *ParseDate("2026-04-05");
    notice.created_at = At(at);
    Status status = committer_->RunTask([&](storage::WriteConnection& connection) {
      storage::EnqueueNotice(connection.db(), organisation_id, notice);
    });
    ASSERT_TRUE(status.ok()) << status.message();
  }

  std::unique_ptr<storage::Outbox> outbox_;
};

TEST_F(OutboxTest, AnAttemptIsClaimedByOneSenderAndRetriedAfterAFailure) {
  ASSERT_TRUE(SetWebhook("gemeente-a", "http://127.0.0.1:9/a").ok());
  Enqueue(org_a_, "p-1", "2026-04-05T08:00:00.000Z");
  Enqueue(org_a_, "p-1", "2026-04-05T08:30:00.000Z");  // the same message again: ignored
  Enqueue(org_a_, "p-2", "2026-04-05T09:00:00.000Z");

  EXPECT_TRUE(outbox_->Due(At("2026-04-05T07:59:59.999Z"), 10)->empty());
  auto due = outbox_->Due(At("2026-04-05T09:00:00.000Z"), 10);
  ASSERT_TRUE(due.ok());
  ASSERT_EQ(due->size(), 2u);
  const storage::OutboxMessage first = (*due)[0];
  EXPECT_EQ(first.message_id, "deadline.due_soon:p-1:terugkoppeling:1");
  EXPECT_EQ(first.webhook_url, "http://127.0.0.1:9/a");
  EXPECT_EQ(first.attempts, 0);
  EXPECT_EQ(**outbox_->NextDue(), At("2026-04-05T08:00:00.000Z"));

  // Two senders read the same row; only the first claim wins.
  EXPECT_TRUE(*outbox_->Claim(first, At("2026-04-05T09:00:20.000Z")));
  EXPECT_FALSE(*outbox_->Claim(first, At("2026-04-05T09:00:20.000Z")));
  // The failure pauses the organisation's other message too, until the retry.
  ASSERT_TRUE(
      outbox_->MarkFailed(first, "de ontvanger antwoordde HTTP 500", At("2026-04-05T09:00:10.000Z"))
          .ok());
  EXPECT_TRUE(outbox_->Due(At("2026-04-05T09:00:09.999Z"), 10)->empty());
  due = outbox_->Due(At("2026-04-05T09:00:10.000Z"), 10);
  ASSERT_EQ(due->size(), 2u);
  {
    auto db_owned = RawReader(path_);
    storage::sql::Database& db = *db_owned;
    storage::sql::Statement row(
        db, "SELECT attempts, last_error, delivered_at FROM outbox WHERE id = ?");
    row.bind(1, first.id);
    ASSERT_TRUE(row.executeStep());
    EXPECT_EQ(row.getColumn(0).getInt64(), 1);
    EXPECT_EQ(row.getColumn(1).getString(), "de ontvanger antwoordde HTTP 500");
    EXPECT_TRUE(row.getColumn(2).isNull());
  }
  for (const storage::OutboxMessage& message : *due) {
    ASSERT_TRUE(*outbox_->Claim(message, At("2026-04-05T09:01:00.000Z")));
    ASSERT_TRUE(outbox_->MarkDelivered(message, At("2026-04-05T09:00:11.000Z")).ok());
  }
  EXPECT_TRUE(outbox_->Due(At("2026-05-01T00:00:00.000Z"), 10)->empty());
  EXPECT_FALSE(*outbox_->NextDue());
  auto backlog = reads_->CountOutbox();
  ASSERT_TRUE(backlog.ok());
  EXPECT_EQ(backlog->pending, 0);
  EXPECT_FALSE(backlog->oldest_created_at);
  auto db_owned = RawReader(path_);
  storage::sql::Database& db = *db_owned;
  EXPECT_EQ(CountRows(db, "outbox"), 2);
}

TEST_F(OutboxTest, RemovingTheWebhookDropsWhatWasNotDelivered) {
  ASSERT_TRUE(SetWebhook("gemeente-a", "http://127.0.0.1:9/a").ok());
  ASSERT_TRUE(SetWebhook("gemeente-b", "http://127.0.0.1:9/b").ok());
  Enqueue(org_a_, "p-1", "2026-04-05T08:00:00.000Z");
  Enqueue(org_a_, "p-2", "2026-04-05T08:00:00.000Z");
  Enqueue(org_b_, "p-3", "2026-04-05T07:00:00.000Z");
  auto due = outbox_->Due(At("2026-04-05T09:00:00.000Z"), 10);
  ASSERT_EQ(due->size(), 3u);
  ASSERT_TRUE(*outbox_->Claim((*due)[1], At("2026-04-05T09:00:00.000Z")));
  ASSERT_TRUE(outbox_->MarkDelivered((*due)[1], At("2026-04-05T09:00:00.000Z")).ok());

  auto backlog = reads_->CountOutbox();
  EXPECT_EQ(backlog->pending, 2);
  EXPECT_EQ(backlog->oldest_created_at, At("2026-04-05T07:00:00.000Z"));

  std::int64_t dropped = -1;
  ASSERT_TRUE(SetWebhook("gemeente-a", std::nullopt, &dropped).ok());
  EXPECT_EQ(dropped, 1);
  due = outbox_->Due(At("2026-04-05T09:00:00.000Z"), 10);
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ((*due)[0].organisation_id, org_b_);
  auto db_owned = RawReader(path_);
  storage::sql::Database& db = *db_owned;
  EXPECT_EQ(*storage::FindWebhookUrl(db, "gemeente-a"), std::nullopt);
  EXPECT_EQ(*storage::FindWebhookUrl(db, "gemeente-b"), "http://127.0.0.1:9/b");
  EXPECT_EQ(storage::FindWebhookUrl(db, "onbekend").status().code(), Code::kNotFound);
  EXPECT_EQ(SetWebhook("onbekend", "http://x/").code(), Code::kNotFound);
}

}  // namespace
}  // namespace navolg
