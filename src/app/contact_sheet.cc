#include "app/contact_sheet.h"

#include <cstdio>
#include <nlohmann/json.hpp>

#include "http/web_assets.h"

namespace enhancer {
namespace {

using nlohmann::json;

// The page's own look; the comparison and the recipe table bring theirs (components.css).
constexpr std::string_view kPageCss = R"css(
:root { color-scheme: light; --line: #d0d5dd; --muted: #555f6d; --bad: #b42318; }
* { box-sizing: border-box; }
body { margin: 0; background: #f4f5f7; color: #111827; font: 15px/1.45 system-ui, sans-serif; }
.sheet { max-width: 1400px; margin: 0 auto; padding: 8px 24px 32px; }
h1 { font-size: 24px; margin: 16px 0 2px; }
.summary, .meta, footer { color: var(--muted); font-size: 13px; margin: 0; }
.failures { margin: 16px 0; padding: 12px 16px; border: 1px solid #f1aeb5; border-radius: 12px;
            background: #fff5f5; }
.failures h2 { color: var(--bad); font-size: 16px; margin: 0 0 6px; }
.failures ul { margin: 0; padding-left: 20px; }
.failures li { margin: 4px 0; overflow-wrap: anywhere; }
.photo { margin: 16px 0 24px; padding: 16px 20px 20px; border: 1px solid var(--line);
         border-radius: 12px; background: #fff; }
.photo h2 { font-size: 18px; margin: 0 0 2px; overflow-wrap: anywhere; }
.badge { display: inline-block; margin-left: 6px; padding: 0 8px; border-radius: 999px;
         background: #e6f4ea; color: #05603a; font-size: 12px; font-weight: 600;
         vertical-align: middle; }
.badge--skipped { background: #eef2f6; color: var(--muted); }
.note { margin: 6px 0 0; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(320px, 1fr)); gap: 20px;
         margin-top: 14px; }
.card { min-width: 0; }
.card h3 { font-size: 15px; margin: 0 0 6px; overflow-wrap: anywhere; }
.card img.still { display: block; width: 100%; height: auto; border-radius: 8px;
                  background: #eceff3; }
.prompt { margin: 8px 0 4px; }
.links { margin: 0 0 8px; font-size: 13px; color: var(--muted); }
.card pre { white-space: pre-wrap; overflow-wrap: anywhere; font-size: 12px; }
/* A card is a third of the page: the neutral column (the identity, the same for every recipe)
   is the one the component itself drops when space is short. */
.card .ec-recipe { font-size: 13px; }
.card .ec-recipe thead th:nth-child(3), .card .ec-recipe__neutral { display: none; }
a { color: #0b57d0; }
)css";

// Replaces each placeholder with the shared components, from the JSON block. Placeholders name
// their photo and image by index ("2:0"), never by file name, so nothing from a file name is
// ever parsed as markup or script.
constexpr std::string_view kPageScript = R"js(
(function () {
  'use strict';
  const components = globalThis.enhancerComponents;
  const data = JSON.parse(document.getElementById('sheet-data').textContent);
  if (!components) return;
  const find = (slot, key) => {
    const [p, i] = slot.dataset[key].split(':').map(Number);
    const photo = data.photos[p];
    return [photo, photo.images[i]];
  };
  let count = 0;
  for (const slot of document.querySelectorAll('[data-compare]')) {
    const [photo, image] = find(slot, 'compare');
    const eager = ++count <= 9;
    const comparison = components.createComparison({
      beforeUrl: photo.original.thumbnail,
      afterUrl: image.thumbnail,
      label: 'Compare the original of ' + photo.source + ' with ' + image.name,
      beforeAlt: 'Original of ' + photo.source,
      afterAlt: image.name + ' of ' + photo.source,
      width: image.thumbnail_width,
      height: image.thumbnail_height,
      loading: eager ? 'eager' : 'lazy',
    });
    // The first screenful is painted with the page rather than after it (the component decodes
    // off the main thread, and a headless screenshot would catch the halves still empty).
    if (eager) comparison.querySelectorAll('img').forEach((img) => { img.decoding = 'auto'; });
    slot.replaceChildren(comparison);
  }
  for (const slot of document.querySelectorAll('[data-recipe]')) {
    const [, image] = find(slot, 'recipe');
    slot.replaceChildren(components.createRecipeTable(image.recipe, {caption: 'Recipe'}));
  }
  document.documentElement.dataset.sheetReady = 'true';
})();
)js";

std::string Dump(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

// JSON inside a script element: '<' and '>' could close the element, '&' is escaped too so the
// block reads the same to an HTML parser in any mode. They occur only inside strings, where
// \uXXXX means the same character.
std::string JsonForScript(const json& value) {
  std::string out;
  for (char c : Dump(value)) {
    switch (c) {
      case '<': out += "\\u003c"; break;
      case '>': out += "\\u003e"; break;
      case '&': out += "\\u0026"; break;
      default: out += c;
    }
  }
  return out;
}

std::string Url(const std::string& folder, const std::string& file) {
  return PercentEncodePath(folder.empty() ? file : folder + "/" + file);
}

std::string Kilobytes(int64_t bytes) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.0f KB", static_cast<double>(bytes) / 1024.0);
  return text;
}

json ImageData(const std::string& folder, const WrittenImage& image) {
  json recipe = json::parse(image.recipe_json, nullptr, false);
  return {{"name", image.name},
          {"prompt", image.prompt},
          {"recipe", recipe.is_discarded() ? json(nullptr) : recipe},
          {"file", Url(folder, image.file)},
          {"thumbnail", Url(folder, image.thumbnail)},
          {"thumbnail_width", image.thumbnail_width},
          {"thumbnail_height", image.thumbnail_height}};
}

std::string Plural(size_t n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

void AppendFailures(const ContactSheet& sheet, std::string& html) {
  std::string items;
  size_t failed = 0;
  for (const SheetPhoto& photo : sheet.photos) {
    if (photo.result.outcome != PhotoOutcome::kFailed) continue;
    ++failed;
    items += "<li><code>" + EscapeHtml(photo.source) + "</code>: " +
             EscapeHtml(photo.result.error.message()) + "</li>\n";
  }
  if (failed == 0) return;
  html += "<section class=\"failures\" aria-labelledby=\"failures-title\">\n"
          "<h2 id=\"failures-title\">" + Plural(failed, "photo", "photos") + " failed</h2>\n<ul>\n" +
          items + "</ul>\n</section>\n";
}

// `compare`: the photo has an original to compare with (the page script turns the still into a
// before/after slider); without one the still stays.
void AppendCard(const std::string& key, const std::string& folder, size_t number,
                const WrittenImage& image, bool compare, std::string& html) {
  const std::string title = std::to_string(number) + " · " + image.name;
  html += "<article class=\"card\">\n<h3>" + EscapeHtml(title) + "</h3>\n";
  html += "<div" + (compare ? " data-compare=\"" + key + "\"" : std::string()) +
          "><img class=\"still\" src=\"" + EscapeHtml(Url(folder, image.thumbnail)) +
          "\" alt=\"" + EscapeHtml(image.name) + "\" width=\"" +
          std::to_string(image.thumbnail_width) + "\" height=\"" +
          std::to_string(image.thumbnail_height) + "\"></div>\n";
  html += "<p class=\"prompt\">" + EscapeHtml(image.prompt) + "</p>\n";
  html += "<p class=\"links\"><a href=\"" + EscapeHtml(Url(folder, image.file)) +
          "\">full size</a> " + std::to_string(image.width) + "×" + std::to_string(image.height) +
          ", " + Kilobytes(image.bytes) + "</p>\n";
  html += "<div data-recipe=\"" + key + "\"><pre>" + EscapeHtml(image.recipe_json) +
          "</pre></div>\n</article>\n";
}

void AppendPhoto(const SheetPhoto& photo, size_t index, std::string& html) {
  const PhotoResult& result = photo.result;
  const bool skipped = result.outcome == PhotoOutcome::kSkipped;
  html += "<section class=\"photo\" id=\"photo-" + std::to_string(index + 1) + "\">\n";
  html += "<h2>" + EscapeHtml(photo.source) + "<span class=\"badge" +
          std::string(skipped ? " badge--skipped" : "") + "\">" +
          (skipped ? "up to date" : "enhanced") + "</span></h2>\n";
  html += "<p class=\"meta\">" + Plural(result.images.size(), "variant", "variants");
  if (!result.planner.empty()) html += ", planned by " + EscapeHtml(result.planner);
  if (!photo.source_href.empty()) {
    html += " · <a href=\"" + EscapeHtml(PercentEncodePath(photo.source_href)) + "\">source file</a>";
  }
  html += " · <a href=\"" + EscapeHtml(Url(photo.folder, "manifest.json")) + "\">manifest</a></p>\n";
  if (!result.note.empty()) html += "<p class=\"note\">" + EscapeHtml(result.note) + "</p>\n";

  html += "<div class=\"cards\">\n";
  if (result.original) {
    const WrittenImage& original = *result.original;
    html += "<article class=\"card\">\n<h3>Original</h3>\n<a href=\"" +
          EscapeHtml(Url(photo.folder, original.file)) + "\"><img class=\"still\" src=\"" +
          EscapeHtml(Url(photo.folder, original.thumbnail)) + "\" alt=\"Original of " +
          EscapeHtml(photo.source) + "\" width=\"" + std::to_string(original.thumbnail_width) +
          "\" height=\"" + std::to_string(original.thumbnail_height) + "\"></a>\n"
          "<p class=\"prompt\">Fitted to the same canvas, with no adjustment: the “before” of "
          "each comparison.</p>\n</article>\n";
  }
  for (size_t i = 0; i < result.images.size(); ++i) {
    AppendCard(std::to_string(index) + ":" + std::to_string(i), photo.folder, i + 1,
               result.images[i], result.original.has_value(), html);
  }
  html += "</div>\n</section>\n";
}

}  // namespace

std::string EscapeHtml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string PercentEncodePath(std::string_view path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : path) {
    const unsigned char byte = static_cast<unsigned char>(c);
    if ((byte >= 'a' && byte <= 'z') || (byte >= 'A' && byte <= 'Z') ||
        (byte >= '0' && byte <= '9') || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
      out += c;
    } else {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0x0F];
    }
  }
  return out;
}

Result<std::string> RenderContactSheet(const ContactSheet& sheet) {
  std::optional<WebAsset> css = FindWebAsset("/assets/components.css");
  std::optional<WebAsset> js = FindWebAsset("/assets/components.js");
  if (!css || !js) {
    return FailedPreconditionError("the review components (web/assets/components.*) are not built in");
  }
  // An HTML parser ends a raw-text element at the first closing tag of its kind, wherever it is.
  if (css->bytes.find("</style") != std::string_view::npos ||
      js->bytes.find("</script") != std::string_view::npos) {
    return FailedPreconditionError("web/assets/components.* contain a closing tag; cannot inline");
  }

  size_t enhanced = 0, skipped = 0, failed = 0;
  json photos = json::array();
  std::vector<size_t> data_index(sheet.photos.size(), 0);
  for (size_t i = 0; i < sheet.photos.size(); ++i) {
    const SheetPhoto& photo = sheet.photos[i];
    const PhotoResult& result = photo.result;
    if (result.outcome == PhotoOutcome::kFailed) {
      ++failed;
      continue;
    }
    (result.outcome == PhotoOutcome::kSkipped ? skipped : enhanced)++;
    json images = json::array();
    for (const WrittenImage& image : result.images) images.push_back(ImageData(photo.folder, image));
    data_index[i] = photos.size();
    photos.push_back({{"source", photo.source},
                      {"original", result.original ? ImageData(photo.folder, *result.original)
                                                   : json(nullptr)},
                      {"images", std::move(images)}});
  }

  std::string html =
      "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<title>" + EscapeHtml(sheet.title) + "</title>\n"
      "<style>\n" + std::string(css->bytes) + "</style>\n"
      "<style>" + std::string(kPageCss) + "</style>\n</head>\n<body>\n<div class=\"sheet\">\n"
      "<header>\n<h1>" + EscapeHtml(sheet.title) + "</h1>\n<p class=\"summary\">" +
      Plural(sheet.photos.size(), "photo", "photos") + ": " + std::to_string(enhanced) +
      " enhanced, " + std::to_string(skipped) + " up to date, " + std::to_string(failed) +
      " failed. Drag a divider, or focus it and use the arrow keys, to compare.</p>\n</header>\n";
  AppendFailures(sheet, html);
  html += "<main>\n";
  for (size_t i = 0; i < sheet.photos.size(); ++i) {
    const SheetPhoto& photo = sheet.photos[i];
    if (photo.result.outcome == PhotoOutcome::kFailed) continue;
    AppendPhoto(photo, data_index[i], html);
  }
  html += "</main>\n";
  if (!sheet.generator.empty()) html += "<footer>Written by " + EscapeHtml(sheet.generator) + ".</footer>\n";
  html += "</div>\n<script>\n" + std::string(js->bytes) + "</script>\n" +
          "<script type=\"application/json\" id=\"sheet-data\">" +
          JsonForScript({{"photos", std::move(photos)}}) + "</script>\n" +
          "<script>" + std::string(kPageScript) + "</script>\n</body>\n</html>\n";
  return html;
}

}  // namespace enhancer
