//! Decoding of PDF image XObject streams into images, with no external
//! rasterizer: DCT (JPEG) through the image crate, Flate (with PNG/TIFF
//! predictors) and RunLength/ASCIIHex to raw samples, CCITT fax (G3/G4)
//! through the `fax` crate, JBIG2 (with its `/JBIG2Globals`) through the
//! pure-Rust `hayro-jbig2`, JPEG 2000 (JPX) through `hayro-jpeg2000`. LZW
//! is reported as unsupported. The PDF reader passes the stream's dictionary values in
//! plain form, so this module does not depend on the PDF parser.

use std::io::Read;

use image::{DynamicImage, GrayImage, ImageFormat, RgbImage};

/// Why an image stream could not be decoded.
#[derive(Debug, thiserror::Error)]
pub enum PdfImageError {
    #[error("unsupported image filter {0}")]
    Unsupported(String),
    #[error("corrupt image stream: {0}")]
    Corrupt(String),
}

/// An image's colour space, as far as decoding needs it.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum ColorSpace {
    #[default]
    Gray,
    Rgb,
    Cmyk,
    /// Palette: `lookup` holds `base` components per entry.
    Indexed {
        base: Box<ColorSpace>,
        lookup: Vec<u8>,
    },
}

impl ColorSpace {
    fn components(&self) -> usize {
        match self {
            ColorSpace::Gray | ColorSpace::Indexed { .. } => 1,
            ColorSpace::Rgb => 3,
            ColorSpace::Cmyk => 4,
        }
    }

    /// From a PDF colour space name (`DeviceRGB`, `CalGray`, `ICCBased`
    /// with its component count…).
    pub fn from_name(name: &str, icc_components: Option<usize>) -> ColorSpace {
        match name {
            "DeviceRGB" | "CalRGB" | "RGB" | "Lab" => ColorSpace::Rgb,
            "DeviceCMYK" | "CMYK" => ColorSpace::Cmyk,
            "ICCBased" => match icc_components {
                Some(3) => ColorSpace::Rgb,
                Some(4) => ColorSpace::Cmyk,
                _ => ColorSpace::Gray,
            },
            _ => ColorSpace::Gray,
        }
    }
}

/// One filter's `/DecodeParms`, and the image's own `/Decode` inversion.
#[derive(Debug, Clone, PartialEq)]
pub struct DecodeParams {
    /// Flate/LZW predictor (1 = none, 2 = TIFF, 10–15 = PNG).
    pub predictor: i64,
    pub colors: i64,
    pub bits_per_component: i64,
    pub columns: i64,
    /// CCITT: K < 0 is G4, 0 is G3 1-D, > 0 is G3 2-D.
    pub k: i64,
    pub rows: Option<i64>,
    pub black_is_1: bool,
    pub encoded_byte_align: bool,
}

impl Default for DecodeParams {
    fn default() -> Self {
        DecodeParams {
            predictor: 1,
            colors: 1,
            bits_per_component: 8,
            columns: 1,
            k: 0,
            rows: None,
            black_is_1: false,
            encoded_byte_align: false,
        }
    }
}

impl DecodeParams {
    /// Sets a field from a `/DecodeParms` key and its integer (or 0/1 for
    /// booleans); unknown keys are ignored.
    pub fn set(&mut self, key: &str, value: i64) {
        match key {
            "Predictor" => self.predictor = value,
            "Colors" => self.colors = value,
            "BitsPerComponent" => self.bits_per_component = value,
            "Columns" => self.columns = value,
            "K" => self.k = value,
            "Rows" => self.rows = Some(value),
            "BlackIs1" => self.black_is_1 = value != 0,
            "EncodedByteAlign" => self.encoded_byte_align = value != 0,
            _ => {}
        }
    }
}

/// The image stream as stored in the PDF.
#[derive(Debug, Clone, Default)]
pub struct PdfImage<'a> {
    pub data: &'a [u8],
    /// `/Filter` names in order (`FlateDecode`, `DCTDecode`, …).
    pub filters: Vec<String>,
    /// `/DecodeParms`, one per filter (missing ones are defaults).
    pub params: Vec<DecodeParams>,
    pub width: u32,
    pub height: u32,
    pub bits_per_component: u8,
    pub color_space: ColorSpace,
    /// `/Decode [1 0]` (or `/ImageMask` with `[1 0]`): samples inverted.
    pub invert: bool,
    /// JBIG2: the decoded bytes of the `/JBIG2Globals` stream, if any.
    pub jbig2_globals: Option<&'a [u8]>,
}

const MAX_PIXELS: u64 = 20_000 * 20_000;

/// Decodes a PDF image XObject stream into an image (gray or RGB).
pub fn decode(img: &PdfImage) -> Result<DynamicImage, PdfImageError> {
    let (w, h) = (img.width, img.height);
    if w == 0 || h == 0 || (w as u64) * (h as u64) > MAX_PIXELS {
        return Err(PdfImageError::Corrupt(format!("image size {w}×{h}")));
    }
    let mut data = img.data.to_vec();
    for (i, f) in img.filters.iter().enumerate() {
        let p = img.params.get(i).cloned().unwrap_or_default();
        match f.as_str() {
            "FlateDecode" | "Fl" => {
                data = inflate(&data)?;
                data = unpredict(data, &p)?;
            }
            "ASCIIHexDecode" | "AHx" => data = ascii_hex(&data),
            "RunLengthDecode" | "RL" => data = run_length(&data),
            "DCTDecode" | "DCT" => {
                let mut out = image::load_from_memory_with_format(&data, ImageFormat::Jpeg)
                    .map_err(|e| PdfImageError::Corrupt(format!("JPEG: {e}")))?;
                if img.invert {
                    out.invert();
                }
                return Ok(out);
            }
            "CCITTFaxDecode" | "CCF" => return ccitt(&data, &p, w, h, img.invert),
            "JBIG2Decode" => return jbig2(&data, img.jbig2_globals, img.invert),
            "JPXDecode" => return jpx(&data, img.invert),
            other => return Err(PdfImageError::Unsupported(other.to_string())),
        }
    }
    raw_samples(&data, img)
}

fn inflate(data: &[u8]) -> Result<Vec<u8>, PdfImageError> {
    let mut out = Vec::new();
    let r = flate2::read::ZlibDecoder::new(data)
        .take(MAX_PIXELS * 4)
        .read_to_end(&mut out);
    // A truncated stream often still holds most of the picture.
    if let Err(e) = r
        && out.is_empty()
    {
        return Err(PdfImageError::Corrupt(format!("Flate: {e}")));
    }
    Ok(out)
}

fn ascii_hex(data: &[u8]) -> Vec<u8> {
    let digits: Vec<u8> = data
        .iter()
        .take_while(|&&c| c != b'>')
        .filter_map(|&c| (c as char).to_digit(16).map(|d| d as u8))
        .collect();
    digits
        .chunks(2)
        .map(|p| p[0] << 4 | p.get(1).copied().unwrap_or(0))
        .collect()
}

fn run_length(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < data.len() {
        let n = data[i] as usize;
        i += 1;
        match n {
            128 => break,
            0..=127 => {
                let end = (i + n + 1).min(data.len());
                out.extend_from_slice(&data[i..end]);
                i = end;
            }
            _ => {
                if let Some(&b) = data.get(i) {
                    out.extend(std::iter::repeat_n(b, 257 - n));
                }
                i += 1;
            }
        }
    }
    out
}

/// Undoes PNG (per-row filter byte) and TIFF 2 predictors.
fn unpredict(data: Vec<u8>, p: &DecodeParams) -> Result<Vec<u8>, PdfImageError> {
    if p.predictor < 2 {
        return Ok(data);
    }
    let bpp = ((p.colors.max(1) * p.bits_per_component.max(1)) as usize).div_ceil(8);
    let row =
        ((p.columns.max(1) * p.colors.max(1) * p.bits_per_component.max(1)) as usize).div_ceil(8);
    if p.predictor == 2 {
        let mut d = data;
        if p.bits_per_component == 8 {
            for r in d.chunks_mut(row) {
                for i in bpp..r.len() {
                    r[i] = r[i].wrapping_add(r[i - bpp]);
                }
            }
        }
        return Ok(d);
    }
    let mut out = Vec::with_capacity(data.len());
    let mut prev = vec![0u8; row];
    for chunk in data.chunks(row + 1) {
        let (ty, src) = (chunk[0], &chunk[1..]);
        let mut cur = vec![0u8; row];
        for i in 0..src.len() {
            let a = if i >= bpp { cur[i - bpp] as i32 } else { 0 };
            let b = prev[i] as i32;
            let c = if i >= bpp { prev[i - bpp] as i32 } else { 0 };
            let x = src[i] as i32;
            cur[i] = match ty {
                0 => x,
                1 => x + a,
                2 => x + b,
                3 => x + (a + b) / 2,
                4 => {
                    let pp = a + b - c;
                    let (pa, pb, pc) = ((pp - a).abs(), (pp - b).abs(), (pp - c).abs());
                    x + if pa <= pb && pa <= pc {
                        a
                    } else if pb <= pc {
                        b
                    } else {
                        c
                    }
                }
                t => return Err(PdfImageError::Corrupt(format!("PNG predictor type {t}"))),
            } as u8;
        }
        out.extend_from_slice(&cur);
        prev = cur;
    }
    Ok(out)
}

/// Raw samples (after Flate etc.) to an image.
fn raw_samples(data: &[u8], img: &PdfImage) -> Result<DynamicImage, PdfImageError> {
    let (w, h) = (img.width as usize, img.height as usize);
    let bpc = img.bits_per_component.max(1) as usize;
    if ![1, 2, 4, 8, 16].contains(&bpc) {
        return Err(PdfImageError::Corrupt(format!("BitsPerComponent {bpc}")));
    }
    let ncomp = img.color_space.components();
    let row_bytes = (w * ncomp * bpc).div_ceil(8);
    if data.len() < row_bytes * h {
        return Err(PdfImageError::Corrupt(format!(
            "{} bytes of samples for {w}×{h}×{ncomp} at {bpc} bits",
            data.len()
        )));
    }
    let max = ((1u32 << bpc.min(8)) - 1) as f32;
    let sample = |row: &[u8], i: usize| -> u8 {
        let v = match bpc {
            8 => row[i],
            16 => row[i * 2],
            _ => {
                let bit = i * bpc;
                let byte = row[bit / 8];
                let shift = 8 - bpc - (bit % 8);
                (((byte >> shift) as u32 & ((1 << bpc) - 1)) as f32 * 255.0 / max) as u8
            }
        };
        if img.invert { 255 - v } else { v }
    };
    match &img.color_space {
        ColorSpace::Gray => {
            let mut g = GrayImage::new(w as u32, h as u32);
            for y in 0..h {
                let row = &data[y * row_bytes..(y + 1) * row_bytes];
                for x in 0..w {
                    g.put_pixel(x as u32, y as u32, image::Luma([sample(row, x)]));
                }
            }
            Ok(DynamicImage::ImageLuma8(g))
        }
        cs => {
            let mut rgb = RgbImage::new(w as u32, h as u32);
            for y in 0..h {
                let row = &data[y * row_bytes..(y + 1) * row_bytes];
                for x in 0..w {
                    let px = match cs {
                        ColorSpace::Rgb => [
                            sample(row, x * 3),
                            sample(row, x * 3 + 1),
                            sample(row, x * 3 + 2),
                        ],
                        ColorSpace::Cmyk => {
                            let k = sample(row, x * 4 + 3) as f32 / 255.0;
                            let f = |c: u8| ((1.0 - c as f32 / 255.0) * (1.0 - k) * 255.0) as u8;
                            [
                                f(sample(row, x * 4)),
                                f(sample(row, x * 4 + 1)),
                                f(sample(row, x * 4 + 2)),
                            ]
                        }
                        ColorSpace::Indexed { base, lookup } => {
                            // Palette index: raw value, not scaled.
                            let idx = if bpc == 8 {
                                row[x] as usize
                            } else {
                                let bit = x * bpc;
                                ((row[bit / 8] >> (8 - bpc - bit % 8)) & ((1 << bpc) - 1)) as usize
                            };
                            let n = base.components();
                            let e = lookup
                                .get(idx * n..idx * n + n)
                                .unwrap_or(&[0, 0, 0, 0][..n.min(4)]);
                            match (**base).clone() {
                                ColorSpace::Rgb if e.len() == 3 => [e[0], e[1], e[2]],
                                ColorSpace::Cmyk if e.len() == 4 => {
                                    let k = e[3] as f32 / 255.0;
                                    let f = |c: u8| {
                                        ((1.0 - c as f32 / 255.0) * (1.0 - k) * 255.0) as u8
                                    };
                                    [f(e[0]), f(e[1]), f(e[2])]
                                }
                                _ => {
                                    let g = e.first().copied().unwrap_or(0);
                                    [g, g, g]
                                }
                            }
                        }
                        ColorSpace::Gray => unreachable!("handled above"),
                    };
                    rgb.put_pixel(x as u32, y as u32, image::Rgb(px));
                }
            }
            Ok(DynamicImage::ImageRgb8(rgb))
        }
    }
}

/// Collects JBIG2 pixels into 8-bit gray rows (1 = black ink).
struct GrayRows {
    px: Vec<u8>,
    black: u8,
}

impl hayro_jbig2::Decoder for GrayRows {
    fn push_pixel(&mut self, black: bool) {
        self.px
            .push(if black { self.black } else { 255 - self.black });
    }
    fn push_pixel_chunk(&mut self, black: bool, chunk_count: u32) {
        let v = if black { self.black } else { 255 - self.black };
        self.px
            .extend(std::iter::repeat_n(v, chunk_count as usize * 8));
    }
    fn next_line(&mut self) {}
}

/// A JBIG2 embedded stream (PDF's organization: no file header) to a
/// gray image; `/Decode [1 0]` swaps black and white.
fn jbig2(data: &[u8], globals: Option<&[u8]>, invert: bool) -> Result<DynamicImage, PdfImageError> {
    let settings = hayro_jbig2::DecodeSettings::default();
    let err = |e: hayro_jbig2::DecodeError| PdfImageError::Corrupt(format!("JBIG2: {e}"));
    let globals = globals
        .map(|g| hayro_jbig2::Globals::new(g, &settings))
        .transpose()
        .map_err(err)?;
    let page = hayro_jbig2::Page::new_embedded(data, globals.as_ref(), &settings).map_err(err)?;
    let (w, h) = (page.width(), page.height());
    if w == 0 || h == 0 || (w as u64) * (h as u64) > MAX_PIXELS {
        return Err(PdfImageError::Corrupt(format!("JBIG2 size {w}×{h}")));
    }
    let mut rows = GrayRows {
        px: Vec::with_capacity((w as usize) * (h as usize)),
        black: if invert { 255 } else { 0 },
    };
    page.decode(&mut rows).map_err(err)?;
    // Chunks may run past a row's end to a whole byte; the decoder only
    // pushes whole rows, so the length tells the padded width.
    let stride = rows.px.len() / h as usize;
    if stride < w as usize {
        return Err(PdfImageError::Corrupt("JBIG2 pixel count".into()));
    }
    let px: Vec<u8> = if stride == w as usize {
        rows.px
    } else {
        rows.px
            .chunks(stride)
            .flat_map(|r| r[..w as usize].iter().copied())
            .collect()
    };
    GrayImage::from_raw(w, h, px)
        .map(DynamicImage::ImageLuma8)
        .ok_or_else(|| PdfImageError::Corrupt("JBIG2 size".into()))
}

/// A JPEG 2000 codestream or JP2 file to a gray or RGB image (the colour
/// space inside the stream rules, as PDF says; alpha dropped, CMYK and
/// other spaces read from their first channel as gray, enough for OCR).
fn jpx(data: &[u8], invert: bool) -> Result<DynamicImage, PdfImageError> {
    let err = |e: hayro_jpeg2000::DecodeError| PdfImageError::Corrupt(format!("JPX: {e}"));
    let settings = hayro_jpeg2000::DecodeSettings::default();
    let image = hayro_jpeg2000::Image::new(data, &settings).map_err(err)?;
    let (w, h) = (image.width(), image.height());
    if w == 0 || h == 0 || (w as u64) * (h as u64) > MAX_PIXELS {
        return Err(PdfImageError::Corrupt(format!("JPX size {w}×{h}")));
    }
    let channels = usize::from(image.color_space().num_channels()) + usize::from(image.has_alpha());
    let rgb = matches!(image.color_space(), hayro_jpeg2000::ColorSpace::RGB);
    let mut ctx = hayro_jpeg2000::DecoderContext::default();
    let px = image.decode(&mut ctx).map_err(err)?.data_u8();
    let n = (w as usize) * (h as usize);
    if channels == 0 || px.len() < n * channels {
        return Err(PdfImageError::Corrupt("JPX pixel count".into()));
    }
    let mut out = if rgb && channels >= 3 {
        let data = px
            .chunks(channels)
            .flat_map(|p| [p[0], p[1], p[2]])
            .collect();
        RgbImage::from_raw(w, h, data).map(DynamicImage::ImageRgb8)
    } else {
        let data = px.chunks(channels).map(|p| p[0]).collect();
        GrayImage::from_raw(w, h, data).map(DynamicImage::ImageLuma8)
    }
    .ok_or_else(|| PdfImageError::Corrupt("JPX size".into()))?;
    if invert {
        out.invert();
    }
    Ok(out)
}

/// CCITT G3/G4 to a gray image (black print on white).
fn ccitt(
    data: &[u8],
    p: &DecodeParams,
    width: u32,
    height: u32,
    invert: bool,
) -> Result<DynamicImage, PdfImageError> {
    let cols = if p.columns > 1 {
        p.columns as u32
    } else {
        width
    };
    if cols > u16::MAX as u32 || height > u16::MAX as u32 {
        return Err(PdfImageError::Corrupt("CCITT image too large".into()));
    }
    let rows = p.rows.map(|r| r as u32).unwrap_or(height).min(height);
    let mut pixels: Vec<u8> = Vec::with_capacity((cols * rows) as usize);
    let mut n = 0u32;
    // Decoded black is sample 0 unless BlackIs1; /Decode [1 0] flips again.
    let black_dark = !p.black_is_1 ^ invert;
    let mut line = |transitions: &[u16]| {
        if n >= rows {
            return;
        }
        for c in fax::decoder::pels(transitions, cols as u16) {
            let black = c == fax::Color::Black;
            pixels.push(if black == black_dark { 0 } else { 255 });
        }
        n += 1;
    };
    let ok = if p.k < 0 {
        fax::decoder::decode_g4(
            data.iter().copied(),
            cols as u16,
            Some(rows as u16),
            &mut line,
        )
    } else if p.k == 0 {
        fax::decoder::decode_g3(data.iter().copied(), &mut line)
    } else {
        return Err(PdfImageError::Unsupported(
            "CCITTFaxDecode with K > 0 (mixed 2-D G3)".into(),
        ));
    };
    if ok.is_none() && pixels.is_empty() {
        return Err(PdfImageError::Corrupt(
            "CCITT data could not be decoded".into(),
        ));
    }
    // Pad rows a short stream left out with white.
    pixels.resize((cols * rows) as usize, 255);
    GrayImage::from_raw(cols, rows, pixels)
        .map(DynamicImage::ImageLuma8)
        .ok_or_else(|| PdfImageError::Corrupt("CCITT size".into()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn flate_png_predictor_gray() {
        // 2×2 gray, PNG "Up" filter on row 2.
        let raw = [0u8, 10, 20, 2, 5, 5];
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        z.write_all(&raw).unwrap();
        let data = z.finish().unwrap();
        let mut p = DecodeParams::default();
        p.set("Predictor", 15);
        p.set("Columns", 2);
        let img = PdfImage {
            data: &data,
            filters: vec!["FlateDecode".into()],
            params: vec![p],
            width: 2,
            height: 2,
            bits_per_component: 8,
            color_space: ColorSpace::Gray,
            invert: false,
            jbig2_globals: None,
        };
        let g = decode(&img).unwrap().to_luma8();
        assert_eq!(g.as_raw(), &vec![10, 20, 15, 25]);
    }

    #[test]
    fn one_bit_and_errors() {
        let data = [0b1010_0000u8];
        let img = PdfImage {
            data: &data,
            width: 3,
            height: 1,
            bits_per_component: 1,
            ..Default::default()
        };
        assert_eq!(
            decode(&img).unwrap().to_luma8().as_raw(),
            &vec![255, 0, 255]
        );
        let bad = PdfImage {
            filters: vec!["LZWDecode".into()],
            ..img.clone()
        };
        assert!(matches!(decode(&bad), Err(PdfImageError::Unsupported(_))));
        // Not JPEG 2000 data: an error, not a panic.
        let jpx = PdfImage {
            filters: vec!["JPXDecode".into()],
            ..img.clone()
        };
        assert!(matches!(decode(&jpx), Err(PdfImageError::Corrupt(_))));
        // Not JBIG2 data: an error, not a panic.
        let junk = PdfImage {
            filters: vec!["JBIG2Decode".into()],
            ..img.clone()
        };
        assert!(matches!(decode(&junk), Err(PdfImageError::Corrupt(_))));
        let short = PdfImage { width: 100, ..img };
        assert!(matches!(decode(&short), Err(PdfImageError::Corrupt(_))));
    }
}
