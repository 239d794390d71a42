#include "app/photo_walk.h"

#include <glob.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <set>

namespace enhancer {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kImageExtensions[] = {"jpg", "jpeg", "jpe", "jfif", "png", "webp",
                                                 "tif", "tiff", "gif", "heic", "heif", "avif"};

struct Found {
  fs::path path;
  fs::path relative;
};

bool IsHidden(const fs::path& path) {
  const std::string name = path.filename().string();
  return !name.empty() && name[0] == '.';
}

// Canonical where possible, so that "a/../a/x.jpg" and "a/x.jpg" are one photo.
std::string Identity(const fs::path& path) {
  std::error_code ec;
  fs::path canonical = fs::weakly_canonical(path, ec);
  std::string identity = (ec ? fs::absolute(path, ec) : canonical).lexically_normal().string();
  while (identity.size() > 1 && identity.back() == '/') identity.pop_back();  // "out/" is "out"
  return identity;
}

// Photos below `root`, each relative to `root` and prefixed with `prefix`, sorted by path.
void WalkFolder(const fs::path& root, const fs::path& prefix, const std::string& exclude,
                std::vector<Found>& found) {
  std::vector<Found> here;
  std::error_code ec;
  auto it = fs::recursive_directory_iterator(
      root, fs::directory_options::skip_permission_denied, ec);
  for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    const fs::directory_entry& entry = *it;
    std::error_code type_ec;
    if (IsHidden(entry.path())) {
      if (entry.is_directory(type_ec)) it.disable_recursion_pending();
      continue;
    }
    if (entry.is_directory(type_ec)) {
      if (!exclude.empty() && Identity(entry.path()) == exclude) it.disable_recursion_pending();
      continue;
    }
    if (!entry.is_regular_file(type_ec) || !HasImageExtension(entry.path().string())) continue;
    here.push_back({entry.path(), prefix / entry.path().lexically_relative(root)});
  }
  std::sort(here.begin(), here.end(),
            [](const Found& a, const Found& b) { return a.relative < b.relative; });
  found.insert(found.end(), here.begin(), here.end());
}

// The leading components of `pattern` that hold no glob character: the folder its matches are
// made relative to ("shots/*/c.jpg" -> "shots", "*.jpg" -> ".").
fs::path FixedPrefix(const std::string& pattern) {
  fs::path prefix;
  fs::path whole(pattern);
  std::vector<fs::path> parts(whole.begin(), whole.end());
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    if (IsGlobPattern(parts[i].string())) break;
    prefix /= parts[i];
  }
  return prefix.empty() ? fs::path(".") : prefix;
}

Status ExpandGlob(const std::string& pattern, const std::string& exclude,
                  std::vector<Found>& found) {
  glob_t matches{};
  const int rc = glob(pattern.c_str(), GLOB_ERR, nullptr, &matches);
  std::vector<std::string> paths(matches.gl_pathv, matches.gl_pathv + matches.gl_pathc);
  globfree(&matches);
  if (rc == GLOB_NOMATCH || (rc == 0 && paths.empty())) {
    return NotFoundError("no file matches \"" + pattern + "\"");
  }
  if (rc != 0) return NotFoundError("cannot expand \"" + pattern + "\": unreadable folder");
  const fs::path prefix = FixedPrefix(pattern);
  size_t before = found.size();
  for (const std::string& match : paths) {  // glob(3) sorts them
    std::error_code ec;
    fs::path relative = fs::path(match).lexically_relative(prefix);
    if (relative.empty() || *relative.begin() == "..") relative = fs::path(match).filename();
    if (fs::is_directory(match, ec)) {
      WalkFolder(match, relative, exclude, found);
    } else if (fs::is_regular_file(match, ec) && HasImageExtension(match)) {
      found.push_back({match, relative});
    }
  }
  if (found.size() == before) {
    return NotFoundError("no photo matches \"" + pattern + "\" (only files with an image extension count)");
  }
  return OkStatus();
}

std::string Lowercase(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// The photo's folder name: its stem, or "<stem>_<ext>" when a sibling shares the stem.
std::string OutputName(const fs::path& relative, bool with_extension) {
  std::string name = relative.stem().string();
  if (with_extension) {
    std::string ext = relative.extension().string();
    if (!ext.empty()) name += "_" + ext.substr(1);
  }
  if (name.empty() || name == "." || name == "..") {
    name = relative.filename().string();
    std::replace(name.begin(), name.end(), '.', '_');
  }
  return name;
}

std::string OutputDir(const fs::path& relative, bool with_extension) {
  return (relative.parent_path() / OutputName(relative, with_extension)).generic_string();
}

std::string Join(const std::vector<std::string>& inputs) {
  std::string joined;
  for (const std::string& input : inputs) joined += (joined.empty() ? "" : ", ") + input;
  return joined;
}

}  // namespace

bool HasImageExtension(std::string_view path) {
  std::string ext = fs::path(path).extension().string();
  if (ext.size() < 2) return false;
  ext = Lowercase(ext.substr(1));
  return std::find(std::begin(kImageExtensions), std::end(kImageExtensions), ext) !=
         std::end(kImageExtensions);
}

bool IsGlobPattern(std::string_view input) {
  return input.find_first_of("*?[") != std::string_view::npos;
}

Result<std::vector<PhotoInput>> WalkPhotos(const std::vector<std::string>& inputs,
                                           const std::string& exclude_dir) {
  const std::string exclude = exclude_dir.empty() ? "" : Identity(exclude_dir);
  std::vector<Found> found;
  for (const std::string& input : inputs) {
    std::error_code ec;
    fs::file_status status = fs::status(input, ec);
    if (fs::is_directory(status)) {
      // Results written inside the folder being walked would be enhanced again on the next run.
      const std::string folder = Identity(input);
      if (!exclude.empty() && (folder == exclude || folder.starts_with(exclude + "/"))) {
        return InvalidArgumentError("the output folder " + exclude_dir + " would hold the input folder " +
                                    input + "; choose an --out outside it");
      }
      WalkFolder(input, fs::path(), exclude, found);
    } else if (fs::exists(status)) {
      found.push_back({input, fs::path(input).filename()});
    } else if (IsGlobPattern(input)) {
      ENHANCER_RETURN_IF_ERROR(ExpandGlob(input, exclude, found));
    } else {
      return NotFoundError("no such file or folder: " + input);
    }
  }

  std::vector<PhotoInput> photos;
  std::set<std::string> seen;
  for (const Found& f : found) {
    if (!seen.insert(Identity(f.path)).second) continue;
    photos.push_back({f.path.string(), f.relative.generic_string(), OutputDir(f.relative, false)});
  }
  if (photos.empty()) return InvalidArgumentError("no photos found in " + Join(inputs));

  // Siblings that share a stem ("c.jpg" and "c.png") keep their extension in the folder name.
  std::map<std::string, std::vector<size_t>> by_dir;
  for (size_t i = 0; i < photos.size(); ++i) by_dir[photos[i].output_dir].push_back(i);
  for (const auto& [dir, indexes] : by_dir) {
    if (indexes.size() < 2) continue;
    std::set<std::string> relatives;
    for (size_t i : indexes) relatives.insert(photos[i].relative);
    if (relatives.size() < indexes.size()) continue;  // the same path from two inputs: refused below
    for (size_t i : indexes) photos[i].output_dir = OutputDir(photos[i].relative, true);
  }
  std::map<std::string, size_t> owner;
  for (size_t i = 0; i < photos.size(); ++i) {
    auto [it, inserted] = owner.emplace(photos[i].output_dir, i);
    if (!inserted) {
      return InvalidArgumentError(photos[it->second].path + " and " + photos[i].path +
                                  " would both write to " + photos[i].output_dir +
                                  "/; enhance them in separate runs or rename one");
    }
  }
  return photos;
}

}  // namespace enhancer
