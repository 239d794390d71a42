// The JSON document the container endpoint and the instance metadata service answer with:
// {"AccessKeyId", "SecretAccessKey", "Token", "Expiration": "2026-11-29T08:00:00Z"} (the
// instance metadata adds "Code": "Success", "Type", "LastUpdated").
#pragma once

#include <string_view>

#include "aws/aws_credentials.h"
#include "core/clock.h"
#include "core/status.h"

namespace enhancer {

// Reads the document. `source` names the endpoint in messages and becomes
// AwsCredentials::source. Unavailable when the body is not such a document (a proxy's page, a
// truncated answer) or its Code is not "Success"; messages name missing fields, never values.
Result<AwsCredentials> ParseCredentialsJson(std::string_view body, std::string_view source);

// "2026-11-29T08:00:00Z", with optional fractional seconds, and "Z" or a "+hh:mm"/"-hh:mm"
// offset. InvalidArgument otherwise.
Result<TimePoint> ParseIso8601(std::string_view text);

}  // namespace enhancer
