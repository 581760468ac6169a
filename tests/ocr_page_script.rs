//! The languages a scanned page is read in (`ocr::script`): a letter of
//! Chinese is read by chi_sim alone, and its one line of English again by
//! chi_sim+eng; a letter of English by chi_sim+eng. Both drawn by the
//! sample generator at 150 dpi, slightly skewed, saved as JPEG.

mod common;

use image::DynamicImage;
use intake_samples::rng::Rng;
use intake_samples::scan::{PageOpts, degrade, render_letter};

const ZH_TITLE: &str = "合作意向确认函";
const ZH_LINES: [&str; 7] = [
    "东川市科学技术局：",
    "我单位与外方合作单位就联合研究达成一致意见，",
    "双方同意共同申报本年度国际科技合作项目。",
    "Partner: Northfield Institute, arid zone unit; NRF grant (Korea)",
    "合作期限三年，双方各自承担本方研究经费。",
    "特此确认。",
    "东川海洋工程研究院 二〇二六年三月十日",
];

const EN_TITLE: &str = "Letter of Intent";
const EN_LINES: [&str; 7] = [
    "To the Science and Technology Bureau of Dongchuan:",
    "The Northfield Institute of Coastal Engineering confirms",
    "that it will carry out joint research on tidal sensors",
    "with the Dongchuan Institute of Ocean Engineering for",
    "three years, each party bearing its own costs.",
    "Signed for the Institute by its Director of Research,",
    "Dr. Helen Marsh, on the tenth of March 2026.",
];

/// Letters, digits and single spaces: what a reader compares.
fn words(s: &str) -> String {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn read(title: &str, lines: &[&str], seed: u64) -> intake::ocr::OcrPage {
    let page = render_letter(title, lines, 150.0).expect("a CJK font (fonts-noto-cjk)");
    // A poor copy: chi_sim alone then misreads English letters and
    // punctuation (「uniti」, 「(Koreal」) that chi_sim+eng reads right.
    let opts = PageOpts {
        skew_deg: 0.8,
        blur: true,
        jpeg_quality: 30,
        noise: 30,
        ..PageOpts::default()
    };
    let jpeg = degrade(&page, &opts, &mut Rng::new(seed)).expect("JPEG");
    let img = image::load_from_memory(&jpeg).expect("decoded");
    intake::ocr::ocr_page(&DynamicImage::ImageRgb8(img.to_rgb8()), 1, Some(150.0)).expect("OCR")
}

fn text(page: &intake::ocr::OcrPage) -> String {
    page.blocks
        .iter()
        .filter_map(|b| match b {
            intake::model::Block::Paragraph(p) => Some(p.text.as_str()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn a_chinese_letter_is_read_in_chinese_and_its_english_line_in_english() {
    let page = read(ZH_TITLE, &ZH_LINES, 7);
    let text = text(&page);
    println!("{}\n{text}", page.langs);
    assert_eq!(page.langs, "chi_sim", "{text}");
    let truth: String = ZH_LINES.iter().map(|l| words(l)).collect();
    let sim = common::char_similarity(&truth, &text.lines().map(words).collect::<String>());
    assert!(sim >= 0.9, "similarity {sim:.3}\n{text}");
    // The English line as written, punctuation and spaces too: read by
    // chi_sim alone it lost its colon, semicolon and two letters
    // (similarity 0.94); read again by chi_sim+eng, one capital (0.98).
    let spaced = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let english = spaced(ZH_LINES[3]);
    let best = text
        .lines()
        .map(|l| common::char_similarity(&english, &spaced(l)))
        .fold(0.0f64, f64::max);
    println!("English line similarity {best:.3}");
    assert!(best >= 0.96, "{best:.3}\n{text}");
}

#[test]
fn an_english_letter_is_read_in_chinese_and_english() {
    let page = read(EN_TITLE, &EN_LINES, 8);
    let text = text(&page);
    println!("{}\n{text}", page.langs);
    assert_eq!(page.langs, "chi_sim+eng", "{text}");
    let truth = words(&format!("{EN_TITLE} {}", EN_LINES.join(" ")));
    let sim = common::char_similarity(&truth, &words(&text));
    println!("similarity {sim:.3}");
    assert!(sim >= 0.95, "similarity {sim:.3}\n{text}");
}
