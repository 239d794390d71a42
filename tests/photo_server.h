// PhotoServer: serves the shared test photos on 127.0.0.1 from a thread, as a shop's image host
// would; stopped by its destructor.
#pragma once

#include <httplib.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "child_process.h"

namespace enhancer::testing {

inline std::string ReadTestFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Serves test photos on 127.0.0.1 from a thread; stopped by the destructor.
class PhotoServer {
 public:
  PhotoServer() {
    photo_ = ReadTestFile(std::filesystem::path(ENHANCER_SHARED_DIR) / "testdata/images/coffee_1mp.jpg");
    server_.Get("/coffee.jpg", [this](const httplib::Request&, httplib::Response& res) {
      res.set_content(photo_, "image/jpeg");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    WaitUntil([this] { return server_.is_running(); }, std::chrono::seconds(10));
  }
  ~PhotoServer() {
    server_.stop();
    thread_.join();
  }
  std::string Url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }

 private:
  std::string photo_;
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
};

}  // namespace enhancer::testing
