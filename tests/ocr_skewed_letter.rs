//! Reading order on skewed scans: a letter page (title and ten lines of
//! Chinese, 150 dpi) drawn by the sample generator, turned by 0.5–5° in
//! either direction, noised and saved as JPEG, is read by OCR; its text
//! must come back in order: character similarity to the drawn text, and
//! a phrase of every line found in the order of the lines.

mod common;

use intake_samples::rng::Rng;
use intake_samples::scan::{PageOpts, degrade, render_letter};

const TITLE: &str = "项目资金配套承诺书";
const LINES: [&str; 10] = [
    "山西省科学技术厅：",
    "我单位申报的2024年度山西省科技合作交流专项项目",
    "“高性能镁合金汽车轻量化部件精密成形技术合作研究”，",
    "申请省级引导资金40万元。我单位承诺：项目配套资金",
    "90万元（大写：玖拾万元整）将按项目实施进度及时足额",
    "到位，专款专用。项目立项后，如引导资金实际资助额度",
    "未达到申请额度，差额部分由我单位自筹解决。",
    "特此承诺。",
    "承诺单位（盖章）：晋南示例精密机械有限公司",
    "法定代表人（签字）：二〇二四年十一月二十七日",
];

fn norm(s: &str) -> Vec<char> {
    s.chars().filter(|c| c.is_alphanumeric()).collect()
}

/// 1 − edit distance / longer length, over letters and digits.
fn similarity(a: &str, b: &str) -> f64 {
    let text = |s: &str| norm(s).into_iter().collect::<String>();
    common::char_similarity(&text(a), &text(b))
}

/// Where in `text` each line is found, by the first of its 3-character
/// pieces that occurs exactly once in the letter (letters and digits
/// only); `None` for a line none of whose pieces was read.
fn line_positions(text: &str) -> Vec<Option<usize>> {
    let text: String = norm(text).into_iter().collect();
    let all: String = LINES.iter().flat_map(|l| norm(l)).collect();
    LINES
        .iter()
        .map(|line| {
            let chars = norm(line);
            chars.windows(3).find_map(|w| {
                let piece: String = w.iter().collect();
                if all.matches(&piece).count() != 1 {
                    return None;
                }
                text.find(&piece)
            })
        })
        .collect()
}

#[test]
fn skewed_letters_read_in_order() {
    let page = render_letter(TITLE, &LINES, 150.0).expect("a CJK font (fonts-noto-cjk)");
    let truth = format!("{TITLE}{}", LINES.concat());
    let mut worst = 1.0f64;
    for (k, skew) in [0.5f32, -1.2, 2.5, -3.5, 5.0].into_iter().enumerate() {
        let opts = PageOpts {
            skew_deg: skew,
            jpeg_quality: 70,
            ..PageOpts::default()
        };
        let jpeg = degrade(&page, &opts, &mut Rng::new(40 + k as u64)).expect("JPEG");
        let doc = intake::extract::page::extract_image(&jpeg, "letter.jpg").expect("OCR");
        let text = doc.plain_text(false);
        let sim = similarity(&truth, &text);
        let found = line_positions(&text);
        println!("skew {skew:+.1}°: similarity {sim:.3}, lines found {found:?}");
        println!("{text}");
        worst = worst.min(sim);
        // Measured 0.94–0.97; short words in brackets read as Latin
        // letters (「（AS: WRATH）」 for 「（大写：玖拾万元整）」) cost the rest.
        assert!(sim >= 0.85, "skew {skew}: similarity {sim:.3}\n{text}");
        let at: Vec<usize> = found.iter().flatten().copied().collect();
        assert!(
            at.len() >= LINES.len() - 1,
            "skew {skew}: lines found {found:?}"
        );
        assert!(
            at.windows(2).all(|p| p[0] < p[1]),
            "skew {skew}: lines out of order {found:?}\n{text}"
        );
    }
    println!("worst similarity {worst:.3}");
}

/// The same letter photographed under a lamp: light falling to 45–60% of
/// the paper's brightness across the page, slightly skewed. Global
/// thresholding alone takes the dark side's paper for ink; the light is
/// divided out first (`raster::flatten_lighting`).
#[test]
fn unevenly_lit_letters_read() {
    let page = render_letter(TITLE, &LINES, 150.0).expect("a CJK font (fonts-noto-cjk)");
    let truth = format!("{TITLE}{}", LINES.concat());
    for (k, shade) in [0.4f32, 0.55].into_iter().enumerate() {
        let opts = PageOpts {
            skew_deg: 1.0,
            jpeg_quality: 70,
            shade,
            ..PageOpts::default()
        };
        let jpeg = degrade(&page, &opts, &mut Rng::new(60 + k as u64)).expect("JPEG");
        let doc = intake::extract::page::extract_image(&jpeg, "photo.jpg").expect("OCR");
        let text = doc.plain_text(false);
        let sim = similarity(&truth, &text);
        println!("shade {shade}: similarity {sim:.3}\n{text}");
        assert!(sim >= 0.85, "shade {shade}: similarity {sim:.3}\n{text}");
    }
}
