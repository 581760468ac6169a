//! Seals pasted into a DOCX: a stamp image over the signature line of an
//! agreement or a letter. Each raster picture of the package that may hold
//! red ink is decoded, laid on white and searched like a placed image on a
//! PDF page (`seal::detect_placed`). DOCX has no pages, so the seals carry
//! neither page nor box.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use image::{DynamicImage, ImageFormat, Rgb, RgbImage};

use crate::model::{ImageRef, SealMark};

/// Largest picture part read for seals, in bytes.
const MAX_IMAGE_BYTES: u64 = 20 << 20;
/// Largest picture searched, in pixels.
const MAX_IMAGE_PIXELS: u64 = 12_000_000;
/// Most pictures searched in one document.
const MAX_IMAGES: usize = 24;
/// Width assumed for a picture whose drawing gives no extent: a seal's
/// 4 cm, the usual size of a pasted stamp.
const DEFAULT_WIDTH_PT: f32 = 113.0;

pub fn seals(
    zip: &mut zip::ZipArchive<Cursor<&[u8]>>,
    images: &[ImageRef],
    extents: &HashMap<String, (f32, f32)>,
    warnings: &mut Vec<String>,
) -> Vec<SealMark> {
    use rayon::prelude::*;
    let mut jobs = Vec::new();
    for im in images {
        let format = match im.format.as_str() {
            "png" => ImageFormat::Png,
            "jpeg" | "jpg" => ImageFormat::Jpeg,
            "bmp" => ImageFormat::Bmp,
            "tiff" => ImageFormat::Tiff,
            _ => continue,
        };
        let size = extents.get(&im.name).copied();
        // A seal is 3–6 cm across; icons and rules are smaller.
        if size.is_some_and(|(w, h)| w < 36.0 || h < 24.0) {
            continue;
        }
        if jobs.len() == MAX_IMAGES {
            warnings.push(format!(
                "more than {MAX_IMAGES} pictures: the rest not searched for seals"
            ));
            break;
        }
        match read_binary(zip, &im.name) {
            Some(bytes) => jobs.push((bytes, format, size)),
            None => warnings.push(format!("{}: picture not readable", im.name)),
        }
    }
    let found: Vec<Vec<SealMark>> = jobs
        .par_iter()
        .map(|(bytes, format, size)| {
            let Some(img) = decode_on_white(bytes, *format) else {
                return Vec::new();
            };
            let w = size.map_or(DEFAULT_WIDTH_PT, |s| s.0);
            let h = size.map_or(w * img.height() as f32 / img.width().max(1) as f32, |s| s.1);
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

fn read_binary(zip: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str) -> Option<Vec<u8>> {
    let file = zip.by_name(name).ok()?;
    if file.encrypted() || file.size() > MAX_IMAGE_BYTES {
        return None;
    }
    let mut buf = Vec::new();
    file.take(MAX_IMAGE_BYTES + 1).read_to_end(&mut buf).ok()?;
    (buf.len() as u64 <= MAX_IMAGE_BYTES).then_some(buf)
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
