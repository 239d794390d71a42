// Test support for the Gemini planner tests (test-only): a preview with a real JPEG, a capture of
// everything logged, and the API key the tests must never see again.
#pragma once

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <fstream>
#include <iterator>
#include <memory>
#include <sstream>
#include <string>

#include "plan/planner.h"
#include "plan/test_previews.h"

namespace enhancer::gemini_test {

// Shaped like a real key, so a leak of it is easy to search for.
inline constexpr char kTestApiKey[] = "AIzaStandInKey-0123456789abcdefGHIJ";

// The product scene of test_previews.h at 400 x 300, with the same scene as a JPEG
// (src/plan/testdata/product_scene.jpg, written by Pillow at quality 85).
inline Preview ProductPreview() {
  Preview preview = plan_test::MakePreview(400, 300, plan_test::ProductScene);
  std::ifstream in(std::string(ENHANCER_SOURCE_DIR) + "/src/plan/testdata/product_scene.jpg",
                   std::ios::binary);
  preview.jpeg.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return preview;
}

// Sends everything logged through spdlog's default logger to a string while alive.
class LogCapture {
 public:
  LogCapture() : previous_(spdlog::default_logger()) {
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(stream_);
    auto logger = std::make_shared<spdlog::logger>("gemini-test", std::move(sink));
    logger->set_level(spdlog::level::trace);
    spdlog::set_default_logger(std::move(logger));
  }
  ~LogCapture() { spdlog::set_default_logger(previous_); }
  LogCapture(const LogCapture&) = delete;
  LogCapture& operator=(const LogCapture&) = delete;

  std::string text() const { return stream_.str(); }

 private:
  std::shared_ptr<spdlog::logger> previous_;
  std::ostringstream stream_;
};

}  // namespace enhancer::gemini_test
