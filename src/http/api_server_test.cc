// The API against real embedded parts (SQLite, the embedded queue, a local folder): the routes
// match /openapi.json both ways, and deleting a product removes its stored objects.
#include "http/api_server.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "db/sqlite_repository.h"
#include "http/web_assets.h"
#include "queue/embedded_queue.h"
#include "store/local_object_store.h"

namespace enhancer {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

class ApiServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("enhancer_api_" + std::to_string(getpid()));
    fs::remove_all(dir_);
    repository_ = *OpenSqliteRepository((dir_ / "db.sqlite").string());
    ASSERT_TRUE(repository_->Migrate().ok());
    EmbeddedQueueOptions queue_options;
    queue_options.path = (dir_ / "queue.sqlite").string();
    queue_ = *OpenEmbeddedQueue(queue_options);
    store_ = *OpenLocalObjectStore((dir_ / "media").string());
    products_ = std::make_unique<ProductService>(*repository_, *queue_, *store_);
    ApiServerOptions options;
    options.port = 0;
    server_ = std::make_unique<ApiServer>(ApiServices{*products_, nullptr, {}}, options);
    ASSERT_TRUE(server_->Bind().ok());
    thread_ = std::thread([this] { server_->Serve(); });
  }
  void TearDown() override {
    server_->Stop();
    thread_.join();
    fs::remove_all(dir_);
  }
  httplib::Client Client() { return httplib::Client("127.0.0.1", server_->port()); }

  fs::path dir_;
  std::unique_ptr<Repository> repository_;
  std::unique_ptr<Queue> queue_;
  std::unique_ptr<ObjectStore> store_;
  std::unique_ptr<ProductService> products_;
  std::unique_ptr<ApiServer> server_;
  std::thread thread_;
};

TEST_F(ApiServerTest, EveryRouteIsDocumentedAndEveryDocumentedRouteExists) {
  std::optional<WebAsset> asset = FindWebAsset("/openapi.json");
  ASSERT_TRUE(asset.has_value());
  json doc = json::parse(asset->bytes);
  EXPECT_EQ(doc["openapi"], "3.0.3");
  std::set<std::pair<std::string, std::string>> documented, served;
  for (const auto& [path, operations] : doc["paths"].items()) {
    for (const auto& [method, operation] : operations.items()) {
      std::string upper = method;
      for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      documented.insert({upper, path});
      EXPECT_TRUE(operation.contains("responses")) << method << " " << path;
    }
  }
  for (const ApiRoute& route : server_->routes()) served.insert({route.method, route.path});
  EXPECT_EQ(documented, served);

  // Each documented route answers as itself, not as "no route".
  auto client = Client();
  for (const auto& [method, path] : documented) {
    std::string concrete = path;
    for (auto [param, value] : {std::pair{"{id}", "1"}, std::pair{"{key}", "x.jpg"}}) {
      if (size_t at = concrete.find(param); at != std::string::npos) concrete.replace(at, std::string(param).size(), value);
    }
    httplib::Result res = method == "GET"    ? client.Get(concrete.c_str())
                          : method == "POST" ? client.Post(concrete.c_str(), "{}", "application/json")
                                             : client.Delete(concrete.c_str());
    ASSERT_TRUE(res) << method << " " << concrete;
    EXPECT_EQ(res->body.find("no route for"), std::string::npos) << method << " " << concrete << ": " << res->body;
  }
  auto unknown = client.Get("/not-a-route");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404);
  EXPECT_NE(unknown->body.find("no route for GET /not-a-route"), std::string::npos);
}

TEST_F(ApiServerTest, DeletingAProductRemovesItsStoredObjects) {
  Result<Product> product = repository_->CreateProduct({"Cup", "", "https://shop.example/cup.jpg"});
  ASSERT_TRUE(product.has_value());
  ProductImage image;
  image.storage_key = "products/1/abc/1-faithful.jpg";
  image.thumbnail_key = "products/1/abc/1-faithful_thumb.jpg";
  image.variant = "faithful";
  image.recipe_json = "{}";
  ASSERT_TRUE(store_->Put(image.storage_key, "jpeg", "image/jpeg").ok());
  ASSERT_TRUE(store_->Put(image.thumbnail_key, "thumb", "image/jpeg").ok());
  ASSERT_TRUE(repository_->CompleteProduct(product->id, "abc", {image}).ok());

  auto client = Client();
  std::string path = "/products/" + std::to_string(product->id);
  auto deleted = client.Delete(path.c_str());
  ASSERT_TRUE(deleted);
  EXPECT_EQ(deleted->status, 204);
  EXPECT_EQ(store_->Get(image.storage_key).error().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->Get(image.thumbnail_key).error().code(), StatusCode::kNotFound);
  auto gone = client.Get(path.c_str());
  ASSERT_TRUE(gone);
  EXPECT_EQ(gone->status, 404);
  auto again = client.Delete(path.c_str());
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 404);
  EXPECT_EQ(json::parse(again->body)["error"]["code"], "not_found");
}

}  // namespace
}  // namespace enhancer
