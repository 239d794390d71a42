#include "aws/credentials_json.h"

#include <cctype>
#include <ctime>
#include <nlohmann/json.hpp>
#include <string>

namespace enhancer {
namespace {

// Reads `count` digits at `pos`; -1 when they are not all digits.
int Digits(std::string_view text, size_t pos, size_t count) {
  if (pos + count > text.size()) return -1;
  int value = 0;
  for (size_t i = pos; i < pos + count; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return -1;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

}  // namespace

Result<TimePoint> ParseIso8601(std::string_view text) {
  auto invalid = [&] {
    return InvalidArgumentError("\"" + std::string(text) + "\" is not an ISO 8601 UTC time");
  };
  // YYYY-MM-DDTHH:MM:SS
  if (text.size() < 20 || text[4] != '-' || text[7] != '-' ||
      (text[10] != 'T' && text[10] != 't') || text[13] != ':' || text[16] != ':') {
    return invalid();
  }
  int year = Digits(text, 0, 4), month = Digits(text, 5, 2), day = Digits(text, 8, 2);
  int hour = Digits(text, 11, 2), minute = Digits(text, 14, 2), second = Digits(text, 17, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 ||
      minute < 0 || minute > 59 || second < 0 || second > 60) {
    return invalid();
  }
  size_t pos = 19;
  std::chrono::milliseconds fraction{0};
  if (text[pos] == '.') {
    ++pos;
    int scale = 100, ms = 0;
    size_t digits = 0;
    while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) {
      ms += (text[pos] - '0') * scale;
      scale /= 10;
      ++pos;
      ++digits;
    }
    if (digits == 0) return invalid();
    fraction = std::chrono::milliseconds(ms);
  }
  int offset_minutes = 0;
  std::string_view zone = text.substr(pos);
  if (zone == "Z" || zone == "z") {
    offset_minutes = 0;
  } else if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':') {
    int h = Digits(zone, 1, 2), m = Digits(zone, 4, 2);
    if (h < 0 || h > 23 || m < 0 || m > 59) return invalid();
    offset_minutes = (zone[0] == '+' ? 1 : -1) * (h * 60 + m);
  } else {
    return invalid();
  }
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  std::time_t secs = timegm(&tm);
  return std::chrono::system_clock::from_time_t(secs) - std::chrono::minutes(offset_minutes) +
         fraction;
}

Result<AwsCredentials> ParseCredentialsJson(std::string_view body, std::string_view source) {
  std::string where(source);
  nlohmann::json doc = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object()) return UnavailableError(where + ": the answer is not a JSON object");
  auto text = [&](const char* key) -> std::string {
    auto it = doc.find(key);
    return it != doc.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  if (std::string code = text("Code"); !code.empty() && code != "Success") {
    return UnavailableError(where + ": the answer's Code is \"" + code + "\", not \"Success\"");
  }
  AwsCredentials out;
  out.access_key_id = text("AccessKeyId");
  out.secret_access_key = text("SecretAccessKey");
  out.session_token = text("Token");
  out.source = where;
  if (out.access_key_id.empty() || out.secret_access_key.empty()) {
    return UnavailableError(where + ": the answer lacks " +
                            (out.access_key_id.empty() ? "AccessKeyId" : "SecretAccessKey"));
  }
  if (std::string expiration = text("Expiration"); !expiration.empty()) {
    Result<TimePoint> when = ParseIso8601(expiration);
    if (!when) return UnavailableError(where + ": Expiration " + when.error().message());
    out.expiration = *when;
  }
  return out;
}

}  // namespace enhancer
