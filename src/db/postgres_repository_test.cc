#include "db/postgres_repository.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <pqxx/pqxx>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "db/postgres_test_cluster.h"
#include "db/repository_contract_test.h"
#include "core/status_matchers.h"

namespace enhancer {
namespace {

// One fresh database in the binary's shared cluster per test.
class PostgresRepositoryHarness final : public RepositoryHarness {
 public:
  Result<std::unique_ptr<Repository>> Open() override {
    if (!database_.status().ok()) return database_.status();
    return OpenPostgresRepository(database_.url(), clock_);
  }
  FakeClock& clock() override { return clock_; }
  std::string url() const { return database_.url(); }

 private:
  ScopedPostgresDatabase database_;
  FakeClock clock_;
};

INSTANTIATE_TEST_SUITE_P(Postgres, RepositoryContractTest,
                         ::testing::Values(RepositoryContractParam{
                             "Postgres",
                             [] { return std::make_unique<PostgresRepositoryHarness>(); }}),
                         RepositoryContractParamName);

ProductImage Image(const std::string& key) {
  ProductImage image;
  image.storage_key = "enhanced/" + key + ".jpg";
  image.thumbnail_key = "thumbs/" + key + ".jpg";
  image.variant = key;
  image.prompt = "p";
  image.recipe_json = "{}";
  return image;
}

// What the contract cannot say: the SQL others run against the database, the server going away
// and coming back, and the URL's secrets.
class PostgresRepositoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(repo_, harness_.Open());
    ASSERT_OK(repo_->Migrate());
  }

  // A plain libpqxx session, as psql or a monitoring script would open.
  std::unique_ptr<pqxx::connection> Raw() {
    return std::make_unique<pqxx::connection>(harness_.url());
  }

  // Ends every session on the test database but the caller's, waiting until they are gone.
  void TerminateRepositorySessions() {
    auto admin = Raw();
    pqxx::nontransaction tx(*admin);
    pqxx::result terminated = tx.exec(
        "SELECT pg_terminate_backend(pid, 10000) FROM pg_stat_activity "
        "WHERE datname = current_database() AND pid <> pg_backend_pid()");
    ASSERT_GE(terminated.size(), 1u);
    for (const pqxx::row& row : terminated) EXPECT_TRUE(row[0].as<bool>());
  }

  // Sessions the repository has opened so far.
  int64_t Sessions() const {
    auto* postgres = dynamic_cast<PostgresRepository*>(repo_.get());
    EXPECT_NE(postgres, nullptr);
    return postgres != nullptr ? postgres->connections_opened() : -1;
  }

  PostgresRepositoryHarness harness_;
  std::unique_ptr<Repository> repo_;
};

TEST_F(PostgresRepositoryTest, TimestampsAreIsoUtcWithMilliseconds) {
  harness_.clock().Advance(std::chrono::milliseconds(7));
  ASSERT_OK_AND_ASSIGN(Product p, repo_->CreateProduct({"n", "c", "raw/x"}));
  EXPECT_TRUE(
      std::regex_match(p.created_at, std::regex(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)")))
      << p.created_at;
  EXPECT_EQ(p.created_at, "2023-11-14T22:13:20.007Z");
  ASSERT_OK_AND_ASSIGN(Product fetched, repo_->GetProduct(p.id));
  EXPECT_EQ(fetched.created_at, "2023-11-14T22:13:20.007Z");
}

// The server's time zone does not leak into the strings: they are UTC whatever the session says.
TEST_F(PostgresRepositoryTest, TimestampsAreUtcWhateverTheServersTimeZone) {
  auto raw = Raw();
  pqxx::nontransaction(*raw).exec("ALTER DATABASE " + raw->quote_name(raw->dbname()) +
                                  " SET timezone = 'Asia/Kolkata'");
  ASSERT_OK_AND_ASSIGN(repo_, harness_.Open());  // new sessions pick up the setting
  ASSERT_OK_AND_ASSIGN(Product p, repo_->CreateProduct({"n", "c", "raw/x"}));
  EXPECT_EQ(p.created_at, "2023-11-14T22:13:20.000Z");
}

// The seed's monitoring queries, verbatim, through a plain libpqxx session.
TEST_F(PostgresRepositoryTest, AnswersTheSeedsMonitoringQueries) {
  ASSERT_OK_AND_ASSIGN(Product lamp, repo_->CreateProduct({"lamp", "lighting", "raw/lamp.jpg"}));
  ASSERT_OK_AND_ASSIGN(Product chair, repo_->CreateProduct({"chair", "furniture", "raw/c.jpg"}));
  ASSERT_OK_AND_ASSIGN(Product draft, repo_->CreateProduct({"draft", "misc", "raw/d.jpg"}));
  ASSERT_OK(repo_->CompleteProduct(lamp.id, "h", {Image("lamp-1"), Image("lamp-2")}));
  harness_.clock().Advance(std::chrono::seconds(1));
  ASSERT_OK(repo_->CompleteProduct(chair.id, "h", {Image("chair-1")}));

  auto raw = Raw();
  pqxx::work tx(*raw);
  pqxx::result pending = tx.exec(
      "SELECT id, category, status, created_at FROM products WHERE status = 'pending_review'");
  ASSERT_EQ(pending.size(), 2u);
  std::vector<int64_t> ids;
  for (const pqxx::row& row : pending) {
    ids.push_back(row["id"].as<int64_t>());
    EXPECT_EQ(row["status"].as<std::string>(), "pending_review");
    EXPECT_FALSE(row["created_at"].is_null());
  }
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(ids, (std::vector<int64_t>{lamp.id, chair.id}));
  EXPECT_NE(ids[0], draft.id);

  pqxx::result joined = tx.exec(
      "SELECT p.id, pi.image_url FROM products p JOIN product_images pi ON pi.product_id = p.id "
      "ORDER BY pi.created_at");
  ASSERT_EQ(joined.size(), 3u);
  EXPECT_EQ(joined[2][0].as<int64_t>(), chair.id);
  EXPECT_EQ(joined[2][1].as<std::string>(), "enhanced/chair-1.jpg");
  std::vector<std::string> lamp_images = {joined[0][1].as<std::string>(),
                                          joined[1][1].as<std::string>()};
  std::sort(lamp_images.begin(), lamp_images.end());
  EXPECT_EQ(lamp_images, (std::vector<std::string>{"enhanced/lamp-1.jpg", "enhanced/lamp-2.jpg"}));
  EXPECT_EQ(joined[0][0].as<int64_t>(), lamp.id);
}

TEST_F(PostgresRepositoryTest, TheDatabaseRefusesUnknownStatuses) {
  ASSERT_OK_AND_ASSIGN(Product p, repo_->CreateProduct({"n", "c", "raw/x"}));
  auto raw = Raw();
  pqxx::work tx(*raw);
  EXPECT_THROW(tx.exec_params("UPDATE products SET status = 'done' WHERE id = $1", p.id),
               pqxx::check_violation);
}

TEST_F(PostgresRepositoryTest, AnImageKeyIsUniquePerProduct) {
  ASSERT_OK_AND_ASSIGN(Product p, repo_->CreateProduct({"n", "c", "raw/x"}));
  ASSERT_OK(repo_->CompleteProduct(p.id, "h", {Image("a")}));
  auto raw = Raw();
  pqxx::work tx(*raw);
  EXPECT_THROW(tx.exec_params("INSERT INTO product_images (product_id, image_url, thumbnail_url, "
                              "variant, prompt, recipe) VALUES ($1, 'enhanced/a.jpg', '', '', '', "
                              "'')",
                              p.id),
               pqxx::unique_violation);
}

TEST_F(PostgresRepositoryTest, DeletingAProductDeletesItsImages) {
  ASSERT_OK_AND_ASSIGN(Product p, repo_->CreateProduct({"n", "c", "raw/x"}));
  ASSERT_OK(repo_->CompleteProduct(p.id, "h", {Image("a")}));
  {
    auto raw = Raw();
    pqxx::work tx(*raw);
    tx.exec_params("DELETE FROM products WHERE id = $1", p.id);
    tx.commit();
  }
  ASSERT_OK_AND_ASSIGN(auto images, repo_->ListImages(p.id));
  EXPECT_TRUE(images.empty());
}

// A write that fails half-way through CompleteProduct leaves no trace: not the images written
// before it, not the product's new status.
TEST_F(PostgresRepositoryTest, CompleteProductIsAllOrNothing) {
  ASSERT_OK_AND_ASSIGN(Product p, repo_->CreateProduct({"n", "c", "raw/x"}));
  ASSERT_OK(repo_->CompleteProduct(p.id, "h1", {Image("old")}));
  ASSERT_OK(repo_->SetProductStatus(p.id, ProductStatus::kProcessing, ""));
  {
    auto raw = Raw();
    pqxx::work tx(*raw);
    tx.exec(
        "CREATE FUNCTION fail_on_bad() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "IF NEW.image_url = 'enhanced/bad.jpg' THEN RAISE EXCEPTION 'disk on fire'; END IF; "
        "RETURN NEW; END $$");
    tx.exec(
        "CREATE TRIGGER fail_on_bad BEFORE INSERT ON product_images FOR EACH ROW "
        "EXECUTE FUNCTION fail_on_bad()");
    tx.commit();
  }
  Status status = repo_->CompleteProduct(p.id, "h2", {Image("good"), Image("bad")});
  EXPECT_CODE(status, StatusCode::kInternal);  // RAISE EXCEPTION is P0001: not the input's fault
  EXPECT_NE(status.message().find("completing product"), std::string::npos) << status.ToString();
  EXPECT_NE(status.message().find("disk on fire"), std::string::npos) << status.ToString();

  ASSERT_OK_AND_ASSIGN(auto images, repo_->ListImages(p.id));
  ASSERT_EQ(images.size(), 1u);
  EXPECT_EQ(images[0].storage_key, "enhanced/old.jpg");
  ASSERT_OK_AND_ASSIGN(Product stored, repo_->GetProduct(p.id));
  EXPECT_EQ(stored.status, ProductStatus::kProcessing);
  EXPECT_EQ(stored.source_hash, "h1");
}

// Two workers finishing the same product at once (a duplicate message) leave one set of rows.
TEST_F(PostgresRepositoryTest, ConcurrentCompletionsOfOneProductLeaveOneSet) {
  ASSERT_OK_AND_ASSIGN(Product p, repo_->CreateProduct({"n", "c", "raw/x"}));
  constexpr int kWorkers = 4;
  std::vector<Status> results(kWorkers);
  {
    std::vector<std::jthread> workers;
    for (int w = 0; w < kWorkers; ++w) {
      workers.emplace_back([&, w] {
        for (int i = 0; i < 5 && results[w].ok(); ++i) {
          results[w] = repo_->CompleteProduct(p.id, "h", {Image("a"), Image("b"), Image("c")});
        }
      });
    }
  }
  for (const Status& status : results) EXPECT_OK(status);
  ASSERT_OK_AND_ASSIGN(auto images, repo_->ListImages(p.id));
  EXPECT_EQ(images.size(), 3u);
}

TEST_F(PostgresRepositoryTest, TwoRepositoriesOnOneDatabaseSeeEachOthersWrites) {
  ASSERT_OK_AND_ASSIGN(auto other, harness_.Open());  // e.g. `enhancer enqueue` elsewhere
  ASSERT_OK(other->Migrate());
  ASSERT_OK_AND_ASSIGN(Product p, repo_->CreateProduct({"n", "c", "raw/x"}));
  ASSERT_OK(other->SetProductStatus(p.id, ProductStatus::kQueued, ""));
  ASSERT_OK_AND_ASSIGN(Product seen, repo_->GetProduct(p.id));
  EXPECT_EQ(seen.status, ProductStatus::kQueued);
}

TEST_F(PostgresRepositoryTest, TheSchemaIsAtTheNewestVersion) {
  auto raw = Raw();
  pqxx::work tx(*raw);
  EXPECT_EQ(tx.exec1("SELECT MAX(version) FROM schema_migrations")[0].as<int>(), 3);
}

// ---- The server going away ----

// An administrator (or a failover) ends the repository's sessions between two calls: the next
// call gets a new session and succeeds; the caller never sees an error.
TEST_F(PostgresRepositoryTest, TheNextCallSucceedsAfterSessionsAreTerminated) {
  ASSERT_OK_AND_ASSIGN(Product p, repo_->CreateProduct({"n", "c", "raw/x"}));
  const int64_t opened = Sessions();
  TerminateRepositorySessions();
  ASSERT_OK_AND_ASSIGN(Product fetched, repo_->GetProduct(p.id));
  EXPECT_EQ(fetched.name, "n");
  EXPECT_EQ(Sessions(), opened + 1);  // a new session replaced the terminated one
  TerminateRepositorySessions();
  ASSERT_OK(repo_->CompleteProduct(p.id, "h", {Image("a")}));
  ASSERT_OK_AND_ASSIGN(auto images, repo_->ListImages(p.id));
  EXPECT_EQ(images.size(), 1u);
  EXPECT_EQ(Sessions(), opened + 2);
}

TEST_F(PostgresRepositoryTest, TheNextCallSucceedsAfterTheServerRestarts) {
  PostgresTestCluster* cluster = SharedPostgresCluster();
  ASSERT_OK_AND_ASSIGN(Product p, repo_->CreateProduct({"n", "c", "raw/x"}));
  const int64_t opened = Sessions();
  ASSERT_OK(cluster->Restart());
  ASSERT_OK_AND_ASSIGN(Product fetched, repo_->GetProduct(p.id));
  EXPECT_EQ(fetched.id, p.id);
  EXPECT_EQ(Sessions(), opened + 1);
  ASSERT_OK(repo_->SetProductStatus(p.id, ProductStatus::kQueued, ""));
}

// While the server is down calls fail with Unavailable (the worker retries them later), naming
// the server and database; once it is back, calls succeed again without reopening anything.
TEST_F(PostgresRepositoryTest, CallsAreUnavailableWhileTheServerIsDownThenRecover) {
  PostgresTestCluster* cluster = SharedPostgresCluster();
  ASSERT_OK_AND_ASSIGN(Product p, repo_->CreateProduct({"n", "c", "raw/x"}));
  ASSERT_OK(cluster->Stop());
  Result<Product> during = repo_->GetProduct(p.id);
  Status write_during = repo_->SetProductStatus(p.id, ProductStatus::kQueued, "");
  ASSERT_OK(cluster->StartAgain());

  EXPECT_CODE(during, StatusCode::kUnavailable);
  EXPECT_CODE(write_during, StatusCode::kUnavailable);
  const std::string where = "127.0.0.1:" + std::to_string(cluster->port());
  EXPECT_NE(during.error().message().find(where), std::string::npos) << during.error().ToString();
  EXPECT_EQ(during.error().message().find(cluster->password()), std::string::npos);

  ASSERT_OK_AND_ASSIGN(Product after, repo_->GetProduct(p.id));
  EXPECT_EQ(after.status, ProductStatus::kDraft);
}

// ---- Opening ----

TEST(PostgresRepositoryOpenTest, ServerDownIsUnavailableNamingServerAndDatabaseNotPassword) {
  PostgresTestCluster* cluster = SharedPostgresCluster();
  ASSERT_NE(cluster, nullptr) << SharedPostgresClusterError();
  const std::string url =
      "postgresql://enhancer:Correct-Horse-Battery@127.0.0.1:" + std::to_string(cluster->port()) +
      "/catalog";
  ASSERT_OK(cluster->Stop());
  Result<std::unique_ptr<Repository>> repo = OpenPostgresRepository(url);
  ASSERT_OK(cluster->StartAgain());

  ASSERT_CODE(repo, StatusCode::kUnavailable);
  const std::string message = repo.error().ToString();
  EXPECT_NE(message.find("127.0.0.1:" + std::to_string(cluster->port())), std::string::npos)
      << message;
  EXPECT_NE(message.find("database \"catalog\""), std::string::npos) << message;
  EXPECT_EQ(message.find("Correct-Horse-Battery"), std::string::npos) << message;
}

TEST(PostgresRepositoryOpenTest, WrongPasswordIsUnavailableWithoutThePassword) {
  PostgresTestCluster* cluster = SharedPostgresCluster();
  ASSERT_NE(cluster, nullptr) << SharedPostgresClusterError();
  Result<std::unique_ptr<Repository>> repo = OpenPostgresRepository(
      "postgres://postgres:Correct-Horse-Battery@127.0.0.1:" + std::to_string(cluster->port()) +
      "/postgres");
  ASSERT_CODE(repo, StatusCode::kUnavailable);
  EXPECT_EQ(repo.error().message().find("Correct-Horse-Battery"), std::string::npos)
      << repo.error().ToString();
}

TEST(PostgresRepositoryOpenTest, OtherUrlsAreInvalidArgument) {
  EXPECT_CODE(OpenPostgresRepository("sqlite://data/enhancer.db"), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace enhancer
