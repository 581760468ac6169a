//! Pictures embedded in documents without pages (DOCX, DOC), searched for
//! seals: a stamp image pasted over the signature line of an agreement or
//! a letter. Each picture is decoded, its transparency laid on white and
//! searched like a placed image on a PDF page (`seal::detect_placed`). The
//! seals carry neither page nor box. Also finds the PNG and JPEG pictures
//! stored inside a binary document's streams ([`embedded`]).

use std::io::Cursor;
use std::ops::Range;

use image::{DynamicImage, ImageFormat, Rgb, RgbImage};

use crate::model::SealMark;

/// Largest picture read for seals, in bytes.
pub(super) const MAX_IMAGE_BYTES: u64 = 20 << 20;
/// Largest picture searched, in pixels.
const MAX_IMAGE_PIXELS: u64 = 12_000_000;
/// Most pictures searched in one document.
pub(super) const MAX_IMAGES: usize = 24;
/// Width assumed for a picture whose drawing gives no extent: a seal's
/// 4 cm, the usual size of a pasted stamp.
const DEFAULT_WIDTH_PT: f32 = 113.0;
/// Pictures narrower or lower than this many pixels are icons and rules.
const MIN_PIXELS: u32 = 48;

/// A picture to search: its bytes, format and drawn size in points when
/// the document gives one.
pub(super) struct Picture {
    pub bytes: Vec<u8>,
    pub format: ImageFormat,
    pub size: Option<(f32, f32)>,
}

/// The seals on `pictures`, searched in parallel.
pub(super) fn seals(pictures: &[Picture]) -> Vec<SealMark> {
    use rayon::prelude::*;
    let found: Vec<Vec<SealMark>> = pictures
        .par_iter()
        .map(|p| {
            let Some(img) = decode_on_white(&p.bytes, p.format) else {
                return Vec::new();
            };
            if img.width() < MIN_PIXELS || img.height() < MIN_PIXELS {
                return Vec::new();
            }
            let w = p.size.map_or(DEFAULT_WIDTH_PT, |s| s.0);
            let h = p
                .size
                .map_or(w * img.height() as f32 / img.width().max(1) as f32, |s| s.1);
            let mut marks = crate::seal::detect_placed(img, 1, [0.0, 0.0, w, h]);
            for m in &mut marks {
                m.page = None;
                m.bbox = None;
            }
            marks
        })
        .collect();
    found.into_iter().flatten().collect()
}

/// The picture decoded, its transparency laid over white paper (a stamp
/// image is usually red ink on a transparent ground).
fn decode_on_white(bytes: &[u8], format: ImageFormat) -> Option<DynamicImage> {
    let mut reader = image::ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(MAX_IMAGE_PIXELS * 4);
    reader.limits(limits);
    let (w, h) = reader.into_dimensions().ok()?;
    if w as u64 * h as u64 > MAX_IMAGE_PIXELS {
        return None;
    }
    let mut reader = image::ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(MAX_IMAGE_PIXELS * 8);
    reader.limits(limits);
    let img = reader.decode().ok()?;
    if !img.color().has_alpha() {
        return Some(img);
    }
    let rgba = img.to_rgba8();
    let mut rgb = RgbImage::new(rgba.width(), rgba.height());
    for (o, p) in rgb.pixels_mut().zip(rgba.pixels()) {
        let a = p.0[3] as u32;
        let mix = |c: u8| ((c as u32 * a + 255 * (255 - a)) / 255) as u8;
        *o = Rgb([mix(p.0[0]), mix(p.0[1]), mix(p.0[2])]);
    }
    Some(DynamicImage::ImageRgb8(rgb))
}

/// The PNG and JPEG pictures lying whole in `data`, found by their
/// signatures and walked to their end marker. A Word 97 document keeps
/// its pictures as Office Art BLIPs in the `Data` stream (inline) or the
/// `WordDocument` stream (floating), each the picture file's bytes behind
/// a record header; walking the files themselves finds them without
/// parsing the drawing records, which vary between writers (Word, WPS,
/// LibreOffice). Metafiles (EMF, WMF) and bitmaps are not found.
pub(super) fn embedded(data: &[u8]) -> Vec<(Range<usize>, ImageFormat)> {
    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n";
    // Bytes walked from false starts: a stream made of them would
    // otherwise cost a walk to its end from each one.
    let mut budget = 2 * data.len() + (1 << 16);
    let mut out = Vec::new();
    let mut i = 0;
    while i + 8 <= data.len() {
        let (walk, format) = if data[i..].starts_with(PNG) {
            (png_end(data, i), ImageFormat::Png)
        } else if data[i..].starts_with(&[0xFF, 0xD8, 0xFF]) {
            (jpeg_end(data, i), ImageFormat::Jpeg)
        } else {
            i += 1;
            continue;
        };
        match walk {
            Ok(end) => {
                if ((end - i) as u64) <= MAX_IMAGE_BYTES {
                    out.push((i..end, format));
                }
                i = end;
            }
            Err(reached) => {
                budget = budget.saturating_sub(reached.saturating_sub(i));
                if budget == 0 {
                    break;
                }
                i += 1;
            }
        }
    }
    out
}

fn be32(d: &[u8], at: usize) -> Option<usize> {
    let b = d.get(at..at + 4)?;
    Some(u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize)
}

/// Where the PNG starting at `start` ends: after its IEND chunk; else how
/// far the walk got.
fn png_end(d: &[u8], start: usize) -> Result<usize, usize> {
    let mut at = start + 8;
    loop {
        let len = be32(d, at).ok_or(at)?;
        let kind = d.get(at + 4..at + 8).ok_or(at)?;
        let next = at.checked_add(12).and_then(|n| n.checked_add(len));
        let next = next.filter(|&n| n <= d.len()).ok_or(at)?;
        if kind == b"IEND" {
            return Ok(next);
        }
        at = next;
    }
}

/// Where the JPEG starting at `start` ends: after its EOI marker, walking
/// the segments (entropy-coded data after each SOS up to the next
/// marker); else how far the walk got.
fn jpeg_end(d: &[u8], start: usize) -> Result<usize, usize> {
    let byte = |at: usize| d.get(at).copied().ok_or(at);
    let mut at = start + 2;
    loop {
        if byte(at)? != 0xFF {
            return Err(at);
        }
        let marker = byte(at + 1)?;
        match marker {
            0xD9 => return Ok(at + 2),
            0xFF => at += 1,
            0x01 | 0xD0..=0xD7 => at += 2,
            _ => {
                let len = u16::from_be_bytes([byte(at + 2)?, byte(at + 3)?]) as usize;
                if len < 2 {
                    return Err(at);
                }
                at += 2 + len;
                if marker == 0xDA {
                    // Scan data: up to a marker that is not a stuffed 0xFF00
                    // or a restart.
                    loop {
                        let (b, n) = (byte(at)?, byte(at + 1)?);
                        if b == 0xFF && n != 0 && !(0xD0..=0xD7).contains(&n) {
                            break;
                        }
                        at += 1;
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encoded(format: ImageFormat) -> Vec<u8> {
        let img = RgbImage::from_fn(64, 40, |x, y| Rgb([(x * 4) as u8, (y * 6) as u8, 90]));
        let mut out = Vec::new();
        DynamicImage::ImageRgb8(img)
            .write_to(&mut Cursor::new(&mut out), format)
            .expect("encode");
        out
    }

    #[test]
    fn transparent_ground_becomes_white() {
        let mut img = image::RgbaImage::new(2, 1);
        img.put_pixel(0, 0, image::Rgba([200, 20, 30, 255]));
        img.put_pixel(1, 0, image::Rgba([0, 0, 0, 0]));
        let mut png = Vec::new();
        DynamicImage::ImageRgba8(img)
            .write_to(&mut Cursor::new(&mut png), ImageFormat::Png)
            .expect("png");
        let out = decode_on_white(&png, ImageFormat::Png)
            .expect("decoded")
            .to_rgb8();
        assert_eq!(out.get_pixel(0, 0).0, [200, 20, 30]);
        assert_eq!(out.get_pixel(1, 0).0, [255, 255, 255]);
    }

    #[test]
    fn garbage_picture_is_skipped() {
        assert!(decode_on_white(b"not a png", ImageFormat::Png).is_none());
    }

    #[test]
    fn pictures_are_found_whole_between_other_bytes() {
        let (png, jpeg) = (encoded(ImageFormat::Png), encoded(ImageFormat::Jpeg));
        let mut data = vec![0x44u8; 37];
        data.extend(&png);
        data.extend([0xFF, 0xD8, 0x00, 0x12]); // a false start
        let at = data.len();
        data.extend(&jpeg);
        data.extend(b"\x89PNG\r\n\x1a\n\x00\x00"); // cut off
        let found = embedded(&data);
        assert_eq!(
            found,
            vec![
                (37..37 + png.len(), ImageFormat::Png),
                (at..at + jpeg.len(), ImageFormat::Jpeg)
            ]
        );
        for (r, f) in found {
            assert!(decode_on_white(&data[r], f).is_some());
        }
        assert!(embedded(&[]).is_empty());
        assert!(embedded(&[0xFF, 0xD8, 0xFF]).is_empty());
    }

    #[test]
    fn a_stream_of_false_starts_is_not_walked_to_its_end_from_each() {
        // PNG signatures each inside a chunk of a chain that runs to the
        // end of the stream without IEND: walked from every one, 2 MB
        // would take 10¹⁰ steps.
        let unit: Vec<u8> = [
            &[0, 0, 0, 8][..],
            b"tEXt",
            b"\x89PNG\r\n\x1a\n",
            &[0, 0, 0, 8],
        ]
        .concat();
        let data: Vec<u8> = unit.repeat((2 << 20) / unit.len());
        let t = std::time::Instant::now();
        assert!(embedded(&data).is_empty());
        // A guard against the quadratic walk, not a benchmark: bounded,
        // it takes milliseconds.
        assert!(t.elapsed().as_secs() < 2, "{:?}", t.elapsed());
    }
}
