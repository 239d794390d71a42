#include "enhancer_instance.h"

#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <regex>
#include <sstream>

namespace enhancer::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string Binary() { return std::string(ENHANCER_BINARY_DIR) + "/enhancer"; }

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

EnhancerInstance::Answer ToAnswer(const httplib::Result& result) {
  EnhancerInstance::Answer answer;
  if (!result) return answer;
  answer.status = result->status;
  answer.raw = result->body;
  answer.body = json::parse(result->body, nullptr, /*allow_exceptions=*/false);
  return answer;
}

}  // namespace

EnhancerInstance::EnhancerInstance(const std::string& name) {
  static std::atomic<int> counter{0};
  dir_ = fs::temp_directory_path() /
         ("enhancer_" + name + "_" + std::to_string(getpid()) + "_" + std::to_string(counter++));
  fs::remove_all(dir_);
  fs::create_directories(dir_);
  env_ = {{"HOST", "127.0.0.1"},
          {"PORT", "0"},
          {"DATABASE_URL", "sqlite://" + database_path()},
          {"EMBEDDED_QUEUE_PATH", queue_path()},
          {"MEDIA_DIR", media_dir().string()},
          {"FETCH_ALLOWED_NETWORKS", "127.0.0.1/32"},
          {"WORKER_CONCURRENCY", "2"},
          {"RECEIVE_WAIT_SECONDS", "1"},
          {"ENHANCED_IMAGES_COUNT", "3"},
          {"OUTPUT_SIZE", "400"},
          {"THUMBNAIL_SIZE", "100"}};
}

EnhancerInstance::~EnhancerInstance() {
  process_.reset();  // SIGKILL by pid if still running
  std::error_code ignored;
  fs::remove_all(dir_, ignored);
}

std::pair<int, std::string> EnhancerInstance::Run(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {Binary()};
  argv.insert(argv.end(), args.begin(), args.end());
  const fs::path log = dir_ / ("run-" + std::to_string(logs_.size()) + ".log");
  logs_.push_back(log);
  ChildProcess child(argv, env_, dir_.string(), log.string());
  int code = child.Wait(std::chrono::seconds(120));
  return {code, child.Log()};
}

bool EnhancerInstance::Start(const std::string& command) {
  const fs::path log = dir_ / (command + "-" + std::to_string(logs_.size()) + ".log");
  logs_.push_back(log);
  port_ = 0;
  process_ = std::make_unique<ChildProcess>(std::vector<std::string>{Binary(), command}, env_,
                                            dir_.string(), log.string());
  const std::regex listening(R"(Listening on http://127\.0\.0\.1:(\d+))");
  const bool serve = command == "serve";
  const bool up = WaitUntil(
      [&] {
        std::string text = process_->Log();
        if (!process_->Running()) return true;
        return text.find("Worker thread started") != std::string::npos &&
               (!serve || std::regex_search(text, listening));
      },
      std::chrono::seconds(120));
  std::string text = process_->Log();
  std::smatch match;
  if (serve && std::regex_search(text, match, listening)) port_ = std::stoi(match[1]);
  const bool started = up && process_->Running() && (!serve || port_ > 0);
  EXPECT_TRUE(started) << "enhancer " << command << " did not start:\n" << text;
  return started;
}

void EnhancerInstance::Signal(int signal) {
  if (process_ && process_->Running()) ::kill(process_->pid(), signal);
}

int EnhancerInstance::Stop(int signal, std::chrono::seconds guard) {
  if (!process_) return -1;
  return process_->Stop(signal, guard);
}

int EnhancerInstance::Wait(std::chrono::seconds guard) {
  if (!process_) return -1;
  return process_->Wait(guard);
}

std::string EnhancerInstance::Log() const { return logs_.empty() ? "" : ReadAll(logs_.back()); }

std::string EnhancerInstance::AllLogs() const {
  std::string all;
  for (const fs::path& log : logs_) all += "== " + log.filename().string() + "\n" + ReadAll(log);
  return all;
}

EnhancerInstance::Answer EnhancerInstance::Get(const std::string& path) const {
  httplib::Client client("127.0.0.1", port_);
  client.set_read_timeout(60, 0);
  return ToAnswer(client.Get(path.c_str()));
}

EnhancerInstance::Answer EnhancerInstance::Post(const std::string& path, const json& body) const {
  httplib::Client client("127.0.0.1", port_);
  client.set_read_timeout(60, 0);
  return ToAnswer(client.Post(path.c_str(), body.dump(), "application/json"));
}

EnhancerInstance::Answer EnhancerInstance::Upload(const std::string& bytes) const {
  httplib::Client client("127.0.0.1", port_);
  client.set_read_timeout(60, 0);
  httplib::MultipartFormDataItems form = {{"file", bytes, "photo.jpg", "image/jpeg"}};
  return ToAnswer(client.Post("/uploads", form));
}

int64_t EnhancerInstance::CreateAndEnhance(const std::string& name,
                                           const std::string& raw_image_url) const {
  Answer created = Post("/products", {{"name", name}, {"raw_image_url", raw_image_url}});
  EXPECT_EQ(created.status, 201) << name << ": " << created.raw;
  if (created.status != 201) return -1;
  const int64_t id = created.body["id"];
  Answer queued = Post("/products/" + std::to_string(id) + "/enhance", json::object());
  EXPECT_EQ(queued.status, 202) << name << ": " << queued.raw;
  return queued.status == 202 ? id : -1;
}

json EnhancerInstance::WaitUntilSettled(int64_t id, std::chrono::seconds guard) const {
  json product;
  const bool settled = WaitUntil(
      [&] {
        Answer answer = Get("/products/" + std::to_string(id));
        if (answer.status != 200) return false;
        product = answer.body;
        const std::string status = product.value("status", "");
        return status != "queued" && status != "processing";
      },
      guard);
  EXPECT_TRUE(settled) << "product " << id << " still " << product.dump();
  return product;
}

std::vector<std::string> FilesUnder(const fs::path& root) {
  std::vector<std::string> files;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(root, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_regular_file()) files.push_back(fs::relative(it->path(), root).string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace enhancer::testing
