#include "app/logging.h"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "core/log_context.h"

namespace enhancer {
namespace {

// "product=42 message=abc " before a job's lines, nothing elsewhere.
class JobContextFlag final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg&, const std::tm&, spdlog::memory_buf_t& dest) override {
    const LogContext& context = CurrentLogContext();
    std::string text;
    if (context.product_id != 0) text += "product=" + std::to_string(context.product_id) + " ";
    if (!context.message_id.empty()) text += "message=" + context.message_id + " ";
    dest.append(text.data(), text.data() + text.size());
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<JobContextFlag>();
  }
};

// One JSON object per line: time, level, message, and the job's ids when there is a job.
class JsonFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    nlohmann::json line = {
        {"time", FormatIso8601(std::chrono::time_point_cast<std::chrono::system_clock::duration>(msg.time))},
        {"level", std::string(spdlog::level::to_string_view(msg.level).data(),
                              spdlog::level::to_string_view(msg.level).size())},
        {"message", std::string(msg.payload.data(), msg.payload.size())}};
    const LogContext& context = CurrentLogContext();
    if (context.product_id != 0) line["product_id"] = context.product_id;
    if (!context.message_id.empty()) line["message_id"] = context.message_id;
    std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
    dest.append(text.data(), text.data() + text.size());
  }
  std::unique_ptr<formatter> clone() const override { return std::make_unique<JsonFormatter>(); }
};

}  // namespace

Result<LogFormat> ParseLogFormat(const std::string& name) {
  if (name.empty() || name == "text") return LogFormat::kText;
  if (name == "json") return LogFormat::kJson;
  return InvalidArgumentError("LOG_FORMAT must be text or json, got \"" + name + "\"").WithField("LOG_FORMAT");
}

void SetUpLogging(LogFormat format) {
  auto logger = spdlog::stderr_color_mt("enhancer");
  if (format == LogFormat::kJson) {
    logger->set_formatter(std::make_unique<JsonFormatter>());
  } else {
    auto formatter = std::make_unique<spdlog::pattern_formatter>();
    formatter->add_flag<JobContextFlag>('*').set_pattern("%Y-%m-%d %H:%M:%S.%e %^%l%$ %*%v");
    logger->set_formatter(std::move(formatter));
  }
  spdlog::set_default_logger(logger);
}

}  // namespace enhancer
