#include "db/postgres_url.h"

#include <libpq-fe.h>

#include <map>
#include <memory>
#include <string>

namespace enhancer {
namespace {

constexpr std::string_view kSchemes[] = {"postgres://", "postgresql://"};
constexpr std::string_view kRedacted = "***";

// The password as written between "user:" and "@", before libpq decodes it: a parse error may
// quote the undecoded text.
std::string RawPasswordOf(std::string_view url) {
  size_t start = url.find("://");
  if (start == std::string_view::npos) return "";
  std::string_view rest = url.substr(start + 3);
  std::string_view authority = rest.substr(0, rest.find_first_of("/?"));
  size_t at = authority.rfind('@');
  if (at == std::string_view::npos) return "";
  std::string_view userinfo = authority.substr(0, at);
  size_t colon = userinfo.find(':');
  if (colon == std::string_view::npos) return "";
  return std::string(userinfo.substr(colon + 1));
}

void ReplaceAll(std::string& text, std::string_view secret) {
  if (secret.empty()) return;
  for (size_t pos = text.find(secret); pos != std::string::npos;
       pos = text.find(secret, pos + kRedacted.size())) {
    text.replace(pos, secret.size(), kRedacted);
  }
}

// A value in libpq's keyword='value' syntax.
std::string Quote(std::string_view value) {
  std::string quoted = "'";
  for (char c : value) {
    if (c == '\\' || c == '\'') quoted += '\\';
    quoted += c;
  }
  quoted += '\'';
  return quoted;
}

struct ConninfoFree {
  void operator()(PQconninfoOption* options) const { PQconninfoFree(options); }
};
using ConninfoOptions = std::unique_ptr<PQconninfoOption, ConninfoFree>;

// keyword -> value for every option that has one.
std::map<std::string, std::string> ValuesOf(const PQconninfoOption* options) {
  std::map<std::string, std::string> values;
  for (const PQconninfoOption* o = options; o != nullptr && o->keyword != nullptr; ++o) {
    if (o->val != nullptr && o->val[0] != '\0') values[o->keyword] = o->val;
  }
  return values;
}

std::string ValueOr(const std::map<std::string, std::string>& values, const std::string& key,
                    std::string fallback) {
  auto it = values.find(key);
  return it == values.end() ? std::move(fallback) : it->second;
}

}  // namespace

std::string PostgresTarget::Describe() const {
  return (host_.empty() ? std::string("local socket") : host_) + ":" + port_ + ", database \"" +
         database_ + "\"";
}

std::string PostgresTarget::Redact(std::string_view text) const {
  std::string redacted(text);
  // The longer first, so one that contains the other is not left half-replaced.
  if (raw_password_.size() >= password_.size()) {
    ReplaceAll(redacted, raw_password_);
    ReplaceAll(redacted, password_);
  } else {
    ReplaceAll(redacted, password_);
    ReplaceAll(redacted, raw_password_);
  }
  return redacted;
}

Result<PostgresTarget> ParsePostgresUrl(const std::string& url) {
  bool known_scheme = false;
  for (std::string_view scheme : kSchemes) known_scheme = known_scheme || url.starts_with(scheme);
  if (!known_scheme) {
    // Only the scheme is quoted: the rest may hold a password.
    return InvalidArgumentError(
        "a PostgreSQL URL starts with postgres:// or postgresql://, got \"" +
        url.substr(0, url.find(':')) + ":...\"");
  }
  PostgresTarget target;
  target.raw_password_ = RawPasswordOf(url);

  char* raw_error = nullptr;
  ConninfoOptions parsed(PQconninfoParse(url.c_str(), &raw_error));
  if (parsed == nullptr) {
    std::string reason = raw_error != nullptr ? raw_error : "out of memory";
    PQfreemem(raw_error);
    while (!reason.empty() && (reason.back() == '\n' || reason.back() == ' ')) reason.pop_back();
    return InvalidArgumentError("invalid PostgreSQL URL: " + target.Redact(reason));
  }
  std::map<std::string, std::string> given = ValuesOf(parsed.get());
  target.password_ = ValueOr(given, "password", "");

  // What libpq would use for the parts the URL leaves out (environment, then built-in).
  ConninfoOptions defaults(PQconndefaults());
  std::map<std::string, std::string> fallback = ValuesOf(defaults.get());
  target.host_ = ValueOr(given, "host", ValueOr(fallback, "host", ""));
  target.port_ = ValueOr(given, "port", ValueOr(fallback, "port", "5432"));
  target.user_ = ValueOr(given, "user", ValueOr(fallback, "user", ""));
  target.database_ = ValueOr(given, "dbname", ValueOr(fallback, "dbname", target.user_));

  if (!given.contains("connect_timeout")) {
    given["connect_timeout"] = std::to_string(kDefaultPostgresConnectTimeoutSeconds);
  }
  if (!given.contains("application_name")) given["application_name"] = "enhancer";
  for (const auto& [keyword, value] : given) {
    if (!target.conninfo_.empty()) target.conninfo_ += ' ';
    target.conninfo_ += keyword + "=" + Quote(value);
  }
  return target;
}

}  // namespace enhancer
