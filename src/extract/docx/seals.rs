//! Seals pasted into a DOCX: each raster picture part of the package that
//! is drawn large enough to be a seal, searched by `extract::pictures`.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use image::ImageFormat;

use crate::extract::pictures::{MAX_IMAGE_BYTES, MAX_IMAGES, Picture};
use crate::model::{ImageRef, SealMark};

pub fn seals(
    zip: &mut zip::ZipArchive<Cursor<&[u8]>>,
    images: &[ImageRef],
    extents: &HashMap<String, (f32, f32)>,
    warnings: &mut Vec<String>,
) -> Vec<SealMark> {
    let mut pictures = Vec::new();
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
        if pictures.len() == MAX_IMAGES {
            warnings.push(format!(
                "more than {MAX_IMAGES} pictures: the rest not searched for seals"
            ));
            break;
        }
        match read_binary(zip, &im.name) {
            Some(bytes) => pictures.push(Picture {
                bytes,
                format,
                size,
            }),
            None => warnings.push(format!("{}: picture not readable", im.name)),
        }
    }
    crate::extract::pictures::seals(&pictures)
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
