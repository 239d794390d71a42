// Readers for the SigV4 test vectors under ENHANCER_SHARED_DIR/testdata/sigv4 (see its
// README.md for the formats). Test-only.
#pragma once

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.h"

namespace enhancer::sigv4_vectors {

inline std::filesystem::path Root() {
  return std::filesystem::path(ENHANCER_SHARED_DIR) / "testdata" / "sigv4";
}

// The whole file; "" when it cannot be read (the comparison that follows then fails loudly).
inline std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// CRLF -> LF, then at most one final newline removed: the vector files differ in whether they
// end with one, and none of the expected strings ends with a newline.
inline std::string Normalized(std::string text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;
    out.push_back(text[i]);
  }
  if (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

inline std::string ReadVector(const std::filesystem::path& path) {
  return Normalized(ReadFile(path));
}

// A request in the suites' `.req` / `request.txt` format.
struct RequestFile {
  std::string method;
  std::string target;                                        // raw: may hold spaces and UTF-8
  std::vector<std::pair<std::string, std::string>> headers;  // as written; folds joined by '\n'
  std::string body;

  std::string Header(std::string_view lowercase_name) const {
    for (const auto& [name, value] : headers) {
      std::string lower = name;
      std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
      if (lower == lowercase_name) return value;
    }
    return "";
  }
};

// Parses `text` (already Normalized). The request line is "METHOD target HTTP/1.1" and the
// target may contain spaces, so the method ends at the first space and the version starts at
// the last. A line that starts with white space continues the previous header (obs-fold).
inline RequestFile ParseRequest(const std::string& text) {
  RequestFile out;
  size_t line_end = text.find('\n');
  std::string first = text.substr(0, line_end);
  size_t first_space = first.find(' ');
  size_t last_space = first.rfind(' ');
  out.method = first.substr(0, first_space);
  out.target = first.substr(first_space + 1, last_space - first_space - 1);
  size_t pos = line_end == std::string::npos ? text.size() : line_end + 1;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(pos, end - pos);
    pos = end + 1;
    if (line.empty()) {
      if (pos < text.size()) out.body = text.substr(pos);
      break;
    }
    if ((line[0] == ' ' || line[0] == '\t') && !out.headers.empty()) {
      out.headers.back().second += "\n" + line;
      continue;
    }
    size_t colon = line.find(':');
    out.headers.emplace_back(line.substr(0, colon), line.substr(colon + 1));
  }
  return out;
}

inline std::string Trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

// Headers as a sorted list of (lowercase name, trimmed value): the signed-request files list
// the added headers in an order of their own, which carries no meaning.
inline std::vector<std::pair<std::string, std::string>> HeaderMultiset(
    const std::vector<std::pair<std::string, std::string>>& headers) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [name, value] : headers) {
    std::string lower = name;
    std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
    out.emplace_back(lower, Trimmed(value));
  }
  std::sort(out.begin(), out.end());
  return out;
}

// "a=1&b=2" -> sorted {("a","1"), ("b","2")}, raw (no decoding): the order of a presigned URL's
// parameters carries no meaning.
inline std::vector<std::pair<std::string, std::string>> QueryMultiset(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> out;
  size_t start = 0;
  while (start <= query.size()) {
    size_t end = query.find('&', start);
    if (end == std::string_view::npos) end = query.size();
    std::string_view part = query.substr(start, end - start);
    if (!part.empty()) {
      size_t equals = part.find('=');
      out.emplace_back(
          std::string(part.substr(0, equals)),
          equals == std::string_view::npos ? "" : std::string(part.substr(equals + 1)));
    }
    start = end + 1;
  }
  std::sort(out.begin(), out.end());
  return out;
}

// "2015-08-30T12:36:00Z" -> that instant.
inline TimePoint ParseTimestamp(const std::string& text) {
  std::tm tm{};
  strptime(text.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

// A gtest-safe name: "normalize-path/get-space" -> "normalize_path_get_space".
inline std::string TestName(std::string name) {
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

}  // namespace enhancer::sigv4_vectors
