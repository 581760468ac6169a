//! Lines tesseract reads doubtfully are read again by PP-OCRv4
//! (`ocr::second_read`): on a scanned page (drawn by the sample generator,
//! 150 dpi, noised, JPEG) whose list is numbered with circled numbers —
//! which chi_sim reads as ©, @ or a stray character — the numbers come
//! back as ①②③, and the list splits into its items. (PP-OCRv4 also
//! reads a 150-dpi ⑤ as ③ at times: such a list stops splitting there.)

mod common;

use intake_samples::rng::Rng;
use intake_samples::scan::{PageOpts, degrade, render_letter};

const TITLE: &str = "项目建议信息表";
const LINES: [&str; 5] = [
    "建议单位：东川示例农业科学研究院",
    "拟解决的关键技术：",
    "①高精度导航定位②智能决策控制③多机协同作业",
    "④农田信息快速获取与作业质量在线监测",
    "联系人：欧阳曦，职称：研究员",
];

#[test]
fn circled_numbers_come_back_on_a_scan() {
    if intake::pixels::ppocr::recognizer().is_none() {
        common::skip("PP-OCRv4 unavailable: run scripts/setup");
        return;
    }
    let page = render_letter(TITLE, &LINES, 150.0).expect("a CJK font (fonts-noto-cjk)");
    let opts = PageOpts {
        skew_deg: 0.8,
        jpeg_quality: 75,
        ..PageOpts::default()
    };
    let jpeg = degrade(&page, &opts, &mut Rng::new(7)).expect("JPEG");
    let doc = intake::extract::page::extract_image(&jpeg, "form.jpg").expect("OCR");
    let text = doc.plain_text(false);
    println!("{text}");
    for line in &LINES[2..4] {
        assert!(text.contains(line), "{line} not read:\n{text}");
    }
    assert!(!text.contains(['©', '@', '®']), "{text}");
    let list: Vec<&str> = text.lines().filter(|l| l.contains(['①', '④'])).collect();
    let items = intake::normalize::text::split_list(&list.join("\n"));
    assert_eq!(
        items,
        [
            "高精度导航定位",
            "智能决策控制",
            "多机协同作业",
            "农田信息快速获取与作业质量在线监测"
        ]
    );
}
