#include "app/contact_sheet.h"

#include <gtest/gtest.h>

namespace enhancer {
namespace {

WrittenImage Image(std::string name, std::string prompt) {
  WrittenImage image;
  image.name = std::move(name);
  image.prompt = std::move(prompt);
  image.recipe_json = R"({"name":")" + image.name + R"(","saturation":1.2})";
  image.file = "x_1-" + image.name + ".jpg";
  image.thumbnail = "x_1-" + image.name + "_thumb.jpg";
  image.width = image.height = 1600;
  image.thumbnail_width = image.thumbnail_height = 600;
  image.bytes = 300000;
  return image;
}

SheetPhoto Photo(std::string source, std::string folder, std::vector<WrittenImage> images) {
  SheetPhoto photo;
  photo.source = std::move(source);
  photo.folder = std::move(folder);
  photo.result.outcome = PhotoOutcome::kEnhanced;
  photo.result.original = Image("original", "as it came");
  photo.result.images = std::move(images);
  photo.result.planner = "local";
  return photo;
}

TEST(ContactSheetTest, EscapesHtmlAndPercentEncodesPaths) {
  EXPECT_EQ(EscapeHtml(R"(<a href="x">'&'</a>)"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  EXPECT_EQ(PercentEncodePath("a b/#1?%.jpg"), "a%20b/%231%3F%25.jpg");
  EXPECT_EQ(PercentEncodePath("caf\xC3\xA9/x-y_z~.jpg"), "caf%C3%A9/x-y_z~.jpg");
}

TEST(ContactSheetTest, InlinesTheSharedComponentsAndLinksNothingOutside) {
  ContactSheet sheet;
  sheet.photos.push_back(Photo("shots/cup.jpg", "cup", {Image("faithful", "Levels only")}));
  Result<std::string> html = RenderContactSheet(sheet);
  ASSERT_TRUE(html) << html.error().ToString();
  EXPECT_NE(html->find("enhancerComponents"), std::string::npos);  // components.js
  EXPECT_NE(html->find(".ec-comparison"), std::string::npos);      // components.css
  EXPECT_EQ(html->find("<link"), std::string::npos);
  EXPECT_EQ(html->find("src=\"http"), std::string::npos);
  EXPECT_EQ(html->find("<script src"), std::string::npos);
  EXPECT_NE(html->find("src=\"cup/x_1-faithful_thumb.jpg\""), std::string::npos);
  EXPECT_NE(html->find("data-compare=\"0:0\""), std::string::npos);
  EXPECT_NE(html->find("data-recipe=\"0:0\""), std::string::npos);
  EXPECT_NE(html->find("Levels only"), std::string::npos);
}

TEST(ContactSheetTest, PhotosWithoutAnOriginalShowTheirVariantsWithoutASlider) {
  ContactSheet sheet;
  SheetPhoto photo = Photo("shots/cup.jpg", "cup", {Image("s1-00", "R1")});
  photo.result.original.reset();
  sheet.photos.push_back(std::move(photo));
  Result<std::string> html = RenderContactSheet(sheet);
  ASSERT_TRUE(html) << html.error().ToString();
  EXPECT_NE(html->find("1 enhanced"), std::string::npos);
  EXPECT_NE(html->find("src=\"cup/x_1-s1-00_thumb.jpg\""), std::string::npos);
  EXPECT_EQ(html->find("data-compare="), std::string::npos);
  EXPECT_EQ(html->find("<h3>Original</h3>"), std::string::npos);
  EXPECT_NE(html->find("\"original\":null"), std::string::npos);
}

// A file named like markup, and a prompt that tries to end the data block, stay text.
TEST(ContactSheetTest, NamesPromptsAndErrorsCannotInjectMarkup) {
  const std::string evil_name = "<img src=x onerror=alert(1)>.jpg";
  const std::string evil_prompt = "</script><script>alert(2)</script>";
  ContactSheet sheet;
  sheet.photos.push_back(Photo(evil_name, "<img src=x onerror=alert(1)>",
                               {Image("faithful", evil_prompt)}));
  SheetPhoto failed;
  failed.source = "<b>bad</b>.jpg";
  failed.result.outcome = PhotoOutcome::kFailed;
  failed.result.error = InvalidArgumentError("not an image: <svg onload=alert(3)>");
  sheet.photos.push_back(failed);

  Result<std::string> html = RenderContactSheet(sheet);
  ASSERT_TRUE(html) << html.error().ToString();
  EXPECT_EQ(html->find("<img src=x"), std::string::npos);
  EXPECT_EQ(html->find("<script>alert(2)"), std::string::npos);
  EXPECT_EQ(html->find("<svg"), std::string::npos);
  EXPECT_EQ(html->find("<b>bad"), std::string::npos);
  EXPECT_NE(html->find("&lt;img src=x onerror=alert(1)&gt;.jpg"), std::string::npos);
  EXPECT_NE(html->find("\\u003c/script\\u003e"), std::string::npos);  // in the JSON block
  EXPECT_NE(html->find("&lt;b&gt;bad&lt;/b&gt;.jpg"), std::string::npos);
  EXPECT_NE(html->find("not an image: &lt;svg onload=alert(3)&gt;"), std::string::npos);
  // The folder name is percent-encoded in every link.
  EXPECT_NE(html->find("%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E/x_1-faithful.jpg"),
            std::string::npos);
}

TEST(ContactSheetTest, ListsFailuresWithTheirReasons) {
  ContactSheet sheet;
  sheet.photos.push_back(Photo("ok.jpg", "ok", {Image("faithful", "p")}));
  SheetPhoto failed;
  failed.source = "fake.jpg";
  failed.result.outcome = PhotoOutcome::kFailed;
  failed.result.error = InvalidArgumentError("not an image: the data does not start like JPEG");
  sheet.photos.push_back(failed);
  Result<std::string> html = RenderContactSheet(sheet);
  ASSERT_TRUE(html) << html.error().ToString();
  EXPECT_NE(html->find("1 photo failed"), std::string::npos);
  EXPECT_NE(html->find("<code>fake.jpg</code>: not an image: the data does not start like JPEG"),
            std::string::npos);
  EXPECT_NE(html->find("2 photos: 1 enhanced, 0 up to date, 1 failed"), std::string::npos);
}

}  // namespace
}  // namespace enhancer
