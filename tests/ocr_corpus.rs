//! OCR and seals on the real third-party images and scanned PDFs of
//! ../shared/corpus/external: prints what is read; asserts the negatives.

mod common;
use common::corpus as shared;

use std::path::PathBuf;

use intake::seal;

#[test]
fn seal_images() {
    let Some(root) = shared() else {
        return;
    };
    let dir = root.join("seal-images");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    names.sort();
    for path in names {
        let bytes = std::fs::read(&path).unwrap();
        let img = image::load_from_memory(&bytes).unwrap();
        let dpi = intake::ocr::image_dpi(&bytes)
            .unwrap_or_else(|| intake::ocr::guess_dpi(img.width(), img.height()));
        let t = std::time::Instant::now();
        let seals = seal::detect(&img, 1, dpi);
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        println!(
            "{name}: {}×{} at {dpi:.0} dpi: {} seal(s) in {:.2}s",
            img.width(),
            img.height(),
            seals.len(),
            t.elapsed().as_secs_f32()
        );
        for (i, s) in seals.iter().enumerate() {
            println!("  {:?} conf {:.2} text {:?}", s.bbox, s.confidence, s.text);
            if let Some(d) = std::env::var_os("OCR_DUMP") {
                let d = PathBuf::from(d);
                std::fs::write(d.join(format!("{name}.{i}.png")), &s.crop_png).unwrap();
                let crop = image::load_from_memory(&s.crop_png).unwrap().to_rgb8();
                seal::ink_gray(&crop)
                    .save(d.join(format!("{name}.{i}.ink.png")))
                    .unwrap();
                seal::ring_strip(&crop)
                    .save(d.join(format!("{name}.{i}.ring.png")))
                    .unwrap();
            }
        }
        if name.contains("no_seal") {
            // MANIFEST: the CNAS certificates' gold foil seal is a negative.
            assert!(
                seals.is_empty(),
                "{name}: the gold certificate seal is not an official seal"
            );
        } else {
            // MANIFEST: every other image carries red seals (two on ias_seal_1).
            let want = if name.starts_with("ias_seal_1") { 2 } else { 1 };
            assert_eq!(seals.len(), want, "{name}: red seal(s) found");
        }
    }
}

/// The phone photo of a notice (perspective, shade from one side, about
/// 70 dpi) is read: before its light was flattened, global thresholding
/// turned the shaded half black and nothing at all was read.
#[test]
fn phone_photo_is_read() {
    let Some(root) = shared() else {
        return;
    };
    let path = root.join("seal-images/ias_seal_0.png");
    let bytes = std::fs::read(&path).unwrap();
    let doc = intake::extract::page::extract_image(&bytes, "photo.png").unwrap();
    let text = doc.plain_text(true);
    let cjk = text.chars().filter(|c| intake::ocr::is_cjk(*c)).count();
    println!("phone photo: {cjk} Chinese characters read:\n{text}");
    assert!(cjk >= 100, "{cjk} Chinese characters read");
}
