// The contact sheet (OUT/index.html) in a real browser, offline: Debian's chromium, headless,
// opening the file from disk. The inlined components must build the comparisons and the recipe
// tables, and a file name made of markup must stay text. The screenshot is kept under
// <build>/test-artifacts/cli/ for a person to look at.
#include <gtest/gtest.h>

#include "child_process.h"
#include "cli_run.h"
#include "cli_test_support.h"

namespace enhancer::testing {
namespace {

constexpr char kChromium[] = "/usr/bin/chromium";

class ContactSheetCliTest : public ScratchDirTest {
 protected:
  // Runs headless chromium on `url` with `extra` flags; returns its stdout (--dump-dom).
  std::string Chromium(const std::string& url, std::vector<std::string> extra) {
    std::vector<std::string> args = {kChromium, "--headless", "--no-sandbox", "--disable-gpu",
                                     "--disable-quic", "--no-first-run",
                                     "--disable-background-networking",
                                     "--disable-component-update", "--disable-sync",
                                     "--user-data-dir=" + (dir_ / "chromium-profile").string(),
                                     "--window-size=1280,2000"};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back(url);
    // stdout (the DOM) and stderr (chromium's own noise) both go to the log; the DOM is found
    // between its <html and </html> tags.
    ChildProcess chromium(args, {{"HOME", dir_.string()}}, dir_.string(),
                          (dir_ / "chromium.log").string());
    EXPECT_EQ(chromium.Wait(std::chrono::seconds(300)), 0) << chromium.Log();
    return chromium.Log();
  }
};

TEST_F(ContactSheetCliTest, RendersOfflineWithSlidersAndRecipeTables) {
  if (!fs::exists(kChromium)) GTEST_FAIL() << kChromium << " is missing (apt-get install chromium)";
  const fs::path photos = dir_ / "photos", out = dir_ / "out";
  CopyImage("smarties_1mp.jpg", photos / "smarties_1mp.jpg");
  CopyImage("coffee_1mp_orient6.jpg", photos / "kitchen/coffee_1mp_orient6.jpg");
  CopyImage("rocket_1mp.jpg", photos / "<img src=x onerror=alert(1)>.jpg");
  WriteText(photos / "fake.jpg", "not a photo");
  CliOutput run = RunEnhancer({"enhance", photos.string(), "--out", out.string(), "--count", "2"},
                              dir_.string());
  ASSERT_EQ(run.exit_code, 1) << run.err;  // fake.jpg
  const std::string url = "file://" + (out / "index.html").string();

  const std::string log = Chromium(url, {"--dump-dom"});
  const size_t start = log.find("<html"), end = log.rfind("</html>");
  ASSERT_NE(start, std::string::npos) << log;
  ASSERT_NE(end, std::string::npos) << log;
  const std::string dom = log.substr(start, end - start);
  // The inlined script ran: 3 photos x 2 variants, each with a comparison and a recipe table.
  EXPECT_NE(dom.find("data-sheet-ready=\"true\""), std::string::npos);
  EXPECT_EQ(CountOf(dom, "class=\"ec-comparison\""), 6u);
  EXPECT_EQ(CountOf(dom, "class=\"ec-comparison__range\""), 6u);
  EXPECT_EQ(CountOf(dom, "<table class=\"ec-recipe\""), 6u);
  EXPECT_NE(dom.find("src=\"kitchen/coffee_1mp_orient6/coffee_1mp_orient6_0-original_thumb.jpg\""),
            std::string::npos);
  // The failure and its reason; the file named like markup is text.
  EXPECT_NE(dom.find("<code>fake.jpg</code>: not an image"),
            std::string::npos);
  EXPECT_NE(dom.find("&lt;img src=x onerror=alert(1)&gt;.jpg"), std::string::npos);
  EXPECT_EQ(dom.find("<img src=\"x\""), std::string::npos);
  EXPECT_EQ(dom.find("onerror=\"alert"), std::string::npos);

  const fs::path artifacts = fs::path(ENHANCER_BINARY_DIR) / "test-artifacts/cli";
  fs::create_directories(artifacts);
  const fs::path screenshot = artifacts / "contact_sheet.png";
  fs::remove(screenshot);
  // Virtual time, not a wall-clock wait: lets the images decode before the picture is taken.
  Chromium(url, {"--screenshot=" + screenshot.string(), "--hide-scrollbars",
                 "--virtual-time-budget=10000"});
  ASSERT_TRUE(fs::is_regular_file(screenshot));
  const std::string png = ReadText(screenshot);
  EXPECT_EQ(png.substr(0, 8), "\x89PNG\r\n\x1a\n");
  // A blank 1280x2000 page compresses to a few KB; photos make it hundreds.
  EXPECT_GT(png.size(), 200'000u);
  fs::copy_file(out / "index.html", artifacts / "contact_sheet.html", fs::copy_options::overwrite_existing);
}

}  // namespace
}  // namespace enhancer::testing
