// Logging: how log lines look. Human-readable by default; JSON lines with LOG_FORMAT=json.
// Lines written while a job runs carry its product id and queue message id.
#pragma once

#include <string>

#include "core/status.h"

namespace enhancer {

enum class LogFormat { kText, kJson };

// "text" or "json"; InvalidArgument otherwise.
Result<LogFormat> ParseLogFormat(const std::string& name);

// Sends every log line to stderr in `format`. Call once, before threads start.
void SetUpLogging(LogFormat format);

}  // namespace enhancer
