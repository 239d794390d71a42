#include "app/progress_line.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>

namespace enhancer {
namespace {

constexpr double kMinSecondsForRate = 1.0;
constexpr std::string_view kEllipsis = "\xE2\x80\xA6";  // "…", one column

bool IsContinuationByte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

}  // namespace

size_t DisplayWidth(std::string_view text) {
  size_t columns = 0;
  for (char c : text) columns += IsContinuationByte(c) ? 0 : 1;
  return columns;
}

std::string FitLeft(std::string_view text, size_t columns) {
  if (DisplayWidth(text) <= columns) return std::string(text);
  if (columns == 0) return "";
  // Keep the last columns - 1 characters, then put the ellipsis in front of them.
  size_t keep = columns - 1;
  size_t start = text.size();
  while (start > 0 && keep > 0) {
    --start;
    if (!IsContinuationByte(text[start])) --keep;
  }
  while (start < text.size() && IsContinuationByte(text[start])) ++start;
  return std::string(kEllipsis) + std::string(text.substr(start));
}

std::string FitRight(std::string_view text, size_t columns) {
  size_t end = 0;
  for (size_t kept = 0; end < text.size(); ++end) {
    if (!IsContinuationByte(text[end]) && kept++ == columns) break;
  }
  return std::string(text.substr(0, end));
}

std::string FormatDuration(double seconds) {
  const long total = std::lround(std::max(0.0, seconds));
  const long hours = total / 3600, minutes = total / 60 % 60, secs = total % 60;
  char text[32];
  if (hours > 0) {
    std::snprintf(text, sizeof(text), "%ld:%02ld:%02ld", hours, minutes, secs);
  } else {
    std::snprintf(text, sizeof(text), "%ld:%02ld", minutes, secs);
  }
  return text;
}

std::string FormatProgress(const ProgressState& state, int width) {
  std::string line = "[" + std::to_string(state.done) + "/" + std::to_string(state.total) + "]";
  // Within the first second the rate says more about which photos came first (a broken file
  // fails at once) than about the run: wait for a second's worth of evidence.
  if (state.done > 0 && state.elapsed_seconds >= kMinSecondsForRate) {
    const double rate = static_cast<double>(state.done) / state.elapsed_seconds;
    char text[32];
    std::snprintf(text, sizeof(text), " %.1f photos/s", rate);
    line += text;
    if (state.done < state.total) {
      line += ", " + FormatDuration(static_cast<double>(state.total - state.done) / rate) + " left";
    }
  } else if (state.done < state.total) {
    line += " estimating";
  }
  if (state.failed > 0) line += ", " + std::to_string(state.failed) + " failed";
  const size_t limit = width > 1 ? static_cast<size_t>(width - 1) : 0;
  if (!state.current.empty() && DisplayWidth(line) + 2 < limit) {
    line += ", " + FitLeft(state.current, limit - DisplayWidth(line) - 2);
  }
  // Only the ASCII counts can be too long here (the file name was fitted): cut them at the end.
  if (DisplayWidth(line) > limit) line.resize(limit);
  return line;
}

int ProgressLine::Width() const {
  winsize size{};
  if (ioctl(fd_, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  return 80;
}

void ProgressLine::Draw(std::string_view text) {
  // Carriage return, the text, then erase whatever a longer previous line left behind.
  Write("\r" + std::string(text) + "\x1b[K");
  drawn_ = true;
}

void ProgressLine::Clear() {
  if (!drawn_) return;
  Write("\r\x1b[K");
  drawn_ = false;
}

void ProgressLine::Write(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // a closed terminal: progress is not worth failing the run for
    bytes.remove_prefix(static_cast<size_t>(n));
  }
}

}  // namespace enhancer
