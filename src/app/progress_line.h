// ProgressLine: one status line redrawn in place on a terminal ("\r", the text, erase to the
// end of the line), for long runs of `enhancer enhance` and `enhancer queue stats --watch`.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace enhancer {

struct ProgressState {
  size_t done = 0;   // finished, whatever the outcome
  size_t total = 0;
  size_t failed = 0;
  double elapsed_seconds = 0;
  std::string current;  // a file being worked on; may be empty
};

// "[3/12] 1.4 photos/s, 0:06 left, 1 failed, shots/b/c.jpg", at most `width` - 1 columns (the
// last column is left free: writing it makes some terminals wrap). A long file name loses its
// beginning ("…b/c.jpg"). Before the first photo is done, and during the first second, there
// is no rate: "estimating".
std::string FormatProgress(const ProgressState& state, int width);

// "0:06", "12:40", "1:02:03".
std::string FormatDuration(double seconds);

// `text` cut to at most `columns` characters (UTF-8 code points), dropping its start and
// marking the cut with "…"; never splits a multi-byte character.
std::string FitLeft(std::string_view text, size_t columns);

// `text` cut to at most `columns` characters, dropping its end; never splits a character.
std::string FitRight(std::string_view text, size_t columns);

// Counts UTF-8 code points, the columns a file name takes on most terminals.
size_t DisplayWidth(std::string_view text);

// Draws on the terminal open as `fd`. Not thread-safe: the owner serialises calls.
class ProgressLine {
 public:
  explicit ProgressLine(int fd) : fd_(fd) {}

  // The terminal's width, 80 when it does not say.
  int Width() const;
  // Replaces the line with `text` (already fitted to Width()).
  void Draw(std::string_view text);
  // Erases the line, e.g. before other output is printed; a later Draw() brings it back.
  void Clear();

 private:
  void Write(std::string_view bytes);

  int fd_;
  bool drawn_ = false;
};

}  // namespace enhancer
