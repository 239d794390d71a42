/* The floor of recipe R1 (BENCH-RECIPE.md): the codec work alone, with TurboJPEG.
 *
 * Usage: r1_floor INPUT.jpg OUTDIR MODE [PIXELS_DIR]   (MODE = ref | fast)
 *        r1_floor --version                  (the libjpeg-turbo it was built against)
 * Writes the six files R1 writes: OUTDIR/<stem>_s1.00_1600.jpg ... and the three _600.jpg.
 *
 * One decode (full size in `ref`; in `fast` the strongest DCT scale of 1/2, 1/4, 1/8 whose
 * result still covers R1's S3 size in both dimensions), then six encodes with R1's V4 settings
 * (quality 85, 4:2:0, progressive: in libjpeg-turbo that also means optimised Huffman tables),
 * and no image processing at all: no resampling, no orientation, no tone or sharpening.
 *
 * What is encoded: R1's own output, so that the encodes are exactly the codec work R1 needs. With
 * PIXELS_DIR (bench/peers/run passes it), the six images are read from the raw RGB files
 * PIXELS_DIR/s<sigma>_<size>.rgb: the pixels of the reference implementation's (Pillow's) six
 * outputs, decoded by the runner before timing. The files then come out as large as R1's; reading
 * 26 MB of raw pixels from the page cache is counted in the floor's time (a few ms).
 *
 * Without PIXELS_DIR (standalone use), each image has the shape and the content of R1's output. The 1600x1600 image is a white canvas holding, at R1's V3 offset, the whole decoded
 * photo in a W'xH' region (W'xH' = R1's S3 size), sampled by nearest neighbour (an index lookup,
 * no filtering: well under 1% of the floor's time). The 600x600 image is built the same way with a
 * round(W' * 600/1600) x round(H' * 600/1600) region. The three variants encode the same two
 * canvases. The files come out about as large as R1's (the runner prints the sizes): the encoder
 * has as much detail to code. (An earlier version placed a centre crop at decode resolution, whose
 * smoother pixels coded to ~70% of R1's bytes and made the floor ~20% cheaper than R1's codec
 * work.)
 *
 * Build: cc -O2 r1_floor.c -o r1_floor -lturbojpeg (bench/peers/run does this into its cache).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <turbojpeg.h>
#include <jconfig.h>

/* jconfig.h defines LIBJPEG_TURBO_VERSION as bare tokens (2.1.5). */
#define STRINGIFY_(x) #x
#define STRINGIFY(x) STRINGIFY_(x)

enum { kCanvas = 1600, kThumb = 600, kQuality = 85 };
static const char *const kSaturations[] = {"1.00", "1.15", "1.30"};

static int fail(const char *what, const char *detail) {
  fprintf(stderr, "r1_floor: %s: %s\n", what, detail);
  return 1;
}

static unsigned char *read_file(const char *path, unsigned long *size) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  unsigned char *data = NULL;
  if (fseek(f, 0, SEEK_END) == 0) {
    long n = ftell(f);
    if (n > 0 && fseek(f, 0, SEEK_SET) == 0 && (data = malloc((size_t)n)) != NULL) {
      if (fread(data, 1, (size_t)n, f) != (size_t)n) {
        free(data);
        data = NULL;
      } else {
        *size = (unsigned long)n;
      }
    }
  }
  fclose(f);
  return data;
}

static int write_file(const char *path, const unsigned char *data, unsigned long size) {
  FILE *f = fopen(path, "wb");
  if (!f) return -1;
  size_t written = fwrite(data, 1, size, f);
  return (fclose(f) == 0 && written == size) ? 0 : -1;
}

/* A size x size white RGB canvas holding the whole decoded image in a centred w x h region,
 * sampled by nearest neighbour: an index lookup per pixel, no filtering. */
static unsigned char *make_canvas(const unsigned char *pixels, int pw, int ph, int size, int w,
                                  int h) {
  unsigned char *canvas = malloc((size_t)size * size * 3);
  int *columns = malloc((size_t)w * sizeof *columns);
  if (!canvas || !columns) return NULL;
  memset(canvas, 255, (size_t)size * size * 3);
  for (int x = 0; x < w; x++) columns[x] = (int)(((long long)x * 2 + 1) * pw / (2LL * w));
  int x0 = (size - w) / 2, y0 = (size - h) / 2;
  for (int y = 0; y < h; y++) {
    int src_y = (int)(((long long)y * 2 + 1) * ph / (2LL * h));
    unsigned char *dst = canvas + ((size_t)(y0 + y) * size + x0) * 3;
    const unsigned char *row = pixels + (size_t)src_y * pw * 3;
    for (int x = 0; x < w; x++) memcpy(dst + (size_t)x * 3, row + (size_t)columns[x] * 3, 3);
  }
  free(columns);
  return canvas;
}

int main(int argc, char **argv) {
  if (argc == 2 && strcmp(argv[1], "--version") == 0) {
    printf("libjpeg-turbo %s (TurboJPEG)\n", STRINGIFY(LIBJPEG_TURBO_VERSION));
    return 0;
  }
  if ((argc != 4 && argc != 5) || (strcmp(argv[3], "ref") != 0 && strcmp(argv[3], "fast") != 0)) {
    fprintf(stderr, "usage: r1_floor INPUT.jpg OUTDIR ref|fast [PIXELS_DIR]\n");
    return 2;
  }
  const char *input = argv[1], *outdir = argv[2];
  const char *pixels_dir = argc == 5 ? argv[4] : NULL;
  int fast = strcmp(argv[3], "fast") == 0;

  unsigned long jpeg_size = 0;
  unsigned char *jpeg = read_file(input, &jpeg_size);
  if (!jpeg) return fail(input, strerror(errno ? errno : EIO));

  tjhandle decoder = tjInitDecompress();
  int width, height, subsamp, colorspace;
  if (tjDecompressHeader3(decoder, jpeg, jpeg_size, &width, &height, &subsamp, &colorspace) != 0)
    return fail(input, tjGetErrorStr2(decoder));

  /* R1's S3 size, W' = round(W f), H' = round(H f), f = 1600 / max(W, H). */
  double f = (double)kCanvas / (width > height ? width : height);
  int fit_w = (int)floor(width * f + 0.5), fit_h = (int)floor(height * f + 0.5);

  tjscalingfactor scale = {1, 1};
  if (fast) {
    for (int denom = 8; denom >= 2; denom /= 2) {
      tjscalingfactor s = {1, denom};
      if (TJSCALED(width, s) >= fit_w && TJSCALED(height, s) >= fit_h) {
        scale = s;
        break;
      }
    }
  }
  int pw = TJSCALED(width, scale), ph = TJSCALED(height, scale);
  unsigned char *pixels = malloc((size_t)pw * ph * 3);
  if (!pixels) return fail(input, "out of memory");
  if (tjDecompress2(decoder, jpeg, jpeg_size, pixels, pw, 0, ph, TJPF_RGB, 0) != 0)
    return fail(input, tjGetErrorStr2(decoder));
  tjDestroy(decoder);
  free(jpeg);

  int thumb_w = (int)floor(fit_w * (double)kThumb / kCanvas + 0.5);
  int thumb_h = (int)floor(fit_h * (double)kThumb / kCanvas + 0.5);
  unsigned char *big = make_canvas(pixels, pw, ph, kCanvas, fit_w, fit_h);
  unsigned char *small = make_canvas(pixels, pw, ph, kThumb, thumb_w, thumb_h);
  if (!big || !small) return fail(input, "out of memory");

  const char *base = strrchr(input, '/');
  base = base ? base + 1 : input;
  const char *dot = strrchr(base, '.');
  int stem_len = dot ? (int)(dot - base) : (int)strlen(base);

  if (mkdir(outdir, 0777) != 0 && errno != EEXIST) return fail(outdir, strerror(errno));
  tjhandle encoder = tjInitCompress();
  for (size_t i = 0; i < sizeof kSaturations / sizeof *kSaturations; i++) {
    const unsigned char *canvases[] = {big, small};
    const int sizes[] = {kCanvas, kThumb};
    for (int c = 0; c < 2; c++) {
      unsigned char *given = NULL;
      if (pixels_dir) {
        char raw[4096];
        unsigned long raw_size = 0;
        snprintf(raw, sizeof raw, "%s/s%s_%d.rgb", pixels_dir, kSaturations[i], sizes[c]);
        given = read_file(raw, &raw_size);
        if (!given || raw_size != (unsigned long)sizes[c] * sizes[c] * 3)
          return fail(raw, "missing, or not size x size RGB");
      }
      unsigned char *out = NULL;
      unsigned long out_size = 0;
      if (tjCompress2(encoder, given ? given : canvases[c], sizes[c], 0, sizes[c], TJPF_RGB, &out,
                      &out_size, TJSAMP_420, kQuality, TJFLAG_PROGRESSIVE) != 0)
        return fail("encode", tjGetErrorStr2(encoder));
      free(given);
      char path[4096];
      snprintf(path, sizeof path, "%s/%.*s_s%s_%d.jpg", outdir, stem_len, base, kSaturations[i],
               sizes[c]);
      if (write_file(path, out, out_size) != 0) return fail(path, strerror(errno ? errno : EIO));
      tjFree(out);
    }
  }
  tjDestroy(encoder);
  free(big);
  free(small);
  free(pixels);
  return 0;
}
