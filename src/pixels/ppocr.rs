//! PP-OCRv4 text-line recognition: the second engine for seal text, and
//! for the lines of scanned pages tesseract reads doubtfully
//! (`ocr::second_read`). This module owns finding the model, loading it
//! once per process and reading one line image into text with
//! per-character probabilities and positions.
//!
//! Why this model: tesseract reads the curved, loose, worn glyphs of real
//! stamps poorly once they are unwrapped; PP-OCRv4's recognizer (an
//! SVTR-style CTC line reader trained on Chinese photographs and scans)
//! reads such strips far better, measured side by side on the same strips
//! in `tests/seal_engines.rs`. Only the recognizer is used: our own seal
//! geometry (`seal::unwrap`) already cuts the text line.
//!
//! Why this runtime: `tract-onnx` is pure Rust, so the binary needs no
//! system library and no prebuilt download; it runs the model's ops
//! (convolutions, attention, softmax). The model is typed once for any
//! input width, and optimized for each width used (`WIDTH_STEP`): a
//! plan with the width left open runs four times slower.
//!
//! Why not fetched at run time: nothing is downloaded at run time.
//! `scripts/setup` unpacks the model from a pinned PyPI wheel
//! (rapidocr-onnxruntime, checked by sha256) into `models/` at the repo
//! root. Without it seals are read by tesseract alone and the CLI says so
//! once ([`notice`]). The character dictionary is the model's own
//! (ONNX metadata `character`), so model and dictionary cannot disagree.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use image::{GrayImage, imageops};
use tract_onnx::prelude::*;

/// The recognition model's file name, as the wheel ships it.
pub const REC_MODEL: &str = "ch_PP-OCRv4_rec_infer.onnx";

/// Where the models are looked for: `INTAKE_MODELS`, else a `models/`
/// folder beside the executable or up to four folders above it (the repo
/// root for `target/release/intake` and for test binaries).
pub fn models_dir() -> Option<PathBuf> {
    if let Some(d) = std::env::var_os("INTAKE_MODELS") {
        return Some(PathBuf::from(d));
    }
    let exe = std::env::current_exe().ok()?;
    exe.ancestors()
        .skip(1)
        .take(5)
        .map(|d| d.join("models"))
        .find(|d| d.join(REC_MODEL).is_file())
}

/// The model file, if installed.
pub fn model_path() -> Option<PathBuf> {
    models_dir()
        .map(|d| d.join(REC_MODEL))
        .filter(|p| p.is_file())
}

/// Why seal text is read by tesseract alone, when the model is missing
/// or unreadable: one line for the user, `None` when it is installed.
pub fn notice() -> Option<String> {
    if let Some(path) = model_path() {
        // A truncated or corrupt file: parsing the protobuf is quick
        // (building the plan is not, and is left to first use).
        return tract_onnx::onnx()
            .proto_model_for_path(&path)
            .err()
            .map(|e| {
                format!(
                    "seal text is read by tesseract alone: the PP-OCRv4 model {} cannot be read \
                     ({e}); run scripts/setup again",
                    path.display()
                )
            });
    }
    Some(format!(
        "seal text is read by tesseract alone: the PP-OCRv4 model ({REC_MODEL}) is not installed \
         (scripts/setup puts it in models/; or set INTAKE_MODELS to its folder)"
    ))
}

/// Model input height.
const HEIGHT: u32 = 48;
/// Narrowest input the model was trained on (rapidocr's rec_img_shape).
const MIN_WIDTH: u32 = 320;
/// Widest line read at once: far beyond any seal strip, bounds memory.
const MAX_WIDTH: u32 = 3200;
/// Input widths are rounded up to a multiple of this: tract runs fast
/// only on plans optimized for one shape, so one plan is made per width
/// step and kept. Small: wider padding than rapidocr's changes readings
/// (an extra character at the end; white padding, or stretching lines to
/// fewer widths, lost a name in the dev set and seal characters).
const WIDTH_STEP: u32 = 32;

type Plan = Arc<TypedRunnableModel>;

/// The loaded recognizer: the parsed model, its optimized plans by input
/// width, and the class labels (index 0 is CTC's blank).
pub struct Recognizer {
    model: InferenceModel,
    /// The model typed and decluttered once for any width (`W`), when
    /// tract can: each width's plan is then that model with `W` set,
    /// optimized (0.03 s), instead of the whole model analysed again
    /// (0.14 s; a batch's two workers built 46 plans, 7 s of its 50 s).
    any_width: Option<(TypedModel, Symbol)>,
    plans: Mutex<HashMap<usize, Plan>>,
    labels: Vec<String>,
}

/// What a line reads as.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LineReading {
    pub text: String,
    /// Mean probability of the characters read (0–1); 0 when none.
    pub confidence: f32,
    /// Each character read with its probability.
    pub chars: Vec<(char, f32)>,
    /// Where each character was read, as a share of the image's width
    /// (the middle of its first frame).
    pub at: Vec<f32>,
}

/// The process's recognizer, loaded on first use; `None` when the model
/// is missing or cannot be loaded (why: [`load_error`]).
pub fn recognizer() -> Option<&'static Recognizer> {
    shared().as_ref().ok()
}

/// Why the recognizer is unavailable, if it is.
pub fn load_error() -> Option<String> {
    shared().as_ref().err().cloned()
}

fn shared() -> &'static Result<Recognizer, String> {
    static REC: OnceLock<Result<Recognizer, String>> = OnceLock::new();
    REC.get_or_init(|| {
        let path = model_path().ok_or_else(|| format!("{REC_MODEL} not installed"))?;
        Recognizer::load(&path).map_err(|e| format!("{}: {e:#}", path.display()))
    })
}

/// Reads one line with the process's recognizer; `None` without a model.
pub fn read_line(img: &GrayImage) -> Option<LineReading> {
    recognizer().map(|r| r.read(img))
}

impl Recognizer {
    /// Loads the model and plans it for the narrowest width (so a model
    /// tract cannot run fails here, once).
    pub fn load(path: &Path) -> TractResult<Recognizer> {
        let onnx = tract_onnx::onnx();
        let mut proto = onnx.proto_model_for_path(path)?;
        widen_shape_casts(&mut proto);
        let model = onnx.model_for_proto_model(&proto)?;
        let labels = labels(&model)?;
        let any_width = typed_for_any_width(&model).ok();
        let rec = Recognizer {
            model,
            any_width,
            plans: Mutex::new(HashMap::new()),
            labels,
        };
        rec.plan(MIN_WIDTH as usize)?;
        Ok(rec)
    }

    /// The plan for inputs `width` wide, optimized on first use.
    fn plan(&self, width: usize) -> TractResult<Plan> {
        if let Some(p) = self.plans.lock().ok().and_then(|m| m.get(&width).cloned()) {
            return Ok(p);
        }
        let plan = match &self.any_width {
            Some((typed, w)) => {
                let set = HashMap::from([(w.clone(), TDim::Val(width as i64))]);
                // Already decluttered: optimizing the set model is enough.
                let mut m = typed.set_symbols(&set)?;
                m.optimize()?;
                m.into_runnable()?
            }
            None => {
                let shape = [1, 3, HEIGHT as usize, width];
                self.model
                    .clone()
                    .with_input_fact(0, f32::fact(shape).into())?
                    .into_optimized()?
                    .into_runnable()?
            }
        };
        if let Ok(mut m) = self.plans.lock() {
            m.insert(width, plan.clone());
        }
        Ok(plan)
    }

    /// Reads a one-line image (dark text on light, any size): scaled to
    /// the model's height keeping its aspect, padded as rapidocr pads.
    /// An image the model cannot run reads as nothing.
    pub fn read(&self, img: &GrayImage) -> LineReading {
        self.try_read(img).unwrap_or_default()
    }

    fn try_read(&self, img: &GrayImage) -> TractResult<LineReading> {
        let (input, scaled) = input_tensor(img)?;
        let width = input.shape()[3];
        let plan = self.plan(width)?;
        let out = plan.run(tvec!(input.into_tvalue()))?;
        let probs = out
            .first()
            .ok_or_else(|| anyhow::anyhow!("no output"))?
            .to_plain_array_view::<f32>()?
            .into_owned();
        let shape = probs.shape().to_vec();
        anyhow::ensure!(
            shape.len() == 3 && shape[2] == self.labels.len(),
            "output {shape:?}"
        );
        let mut chars = Vec::new();
        let mut at = Vec::new();
        let mut prev = 0usize;
        // Input pixels per output frame; the image fills `scaled` of them.
        let step = width as f32 / shape[1].max(1) as f32;
        for t in 0..shape[1] {
            let row = probs.slice(tract_ndarray::s![0, t, ..]);
            let (best, p) = row
                .iter()
                .enumerate()
                .fold((0, f32::MIN), |a, (i, &v)| if v > a.1 { (i, v) } else { a });
            // CTC: blanks and repeats of the previous step are no character.
            if best != 0 && best != prev {
                for c in self.labels[best].chars() {
                    chars.push((c, p));
                    at.push(((t as f32 + 0.5) * step / scaled as f32).min(1.0));
                }
            }
            prev = best;
        }
        let text: String = chars.iter().map(|c| c.0).collect();
        let confidence = if chars.is_empty() {
            0.0
        } else {
            chars.iter().map(|c| c.1).sum::<f32>() / chars.len() as f32
        };
        Ok(LineReading {
            text,
            confidence,
            chars,
            at,
        })
    }
}

/// The model typed and decluttered with its input width a symbol.
fn typed_for_any_width(model: &InferenceModel) -> TractResult<(TypedModel, Symbol)> {
    let w = model.sym("W");
    let fact = f32::fact([1.to_dim(), 3.to_dim(), (HEIGHT as i64).to_dim(), w.to_dim()]);
    let typed = model
        .clone()
        .with_input_fact(0, fact.into())?
        .into_typed()?
        .into_decluttered()?;
    Ok((typed, w))
}

/// ONNX `Cast` type of 32- and 64-bit integers.
const ONNX_INT32: i64 = 6;
const ONNX_INT64: i64 = 7;

/// Makes the model's casts of tensor shapes to 32-bit integers 64-bit:
/// the exporter (paddle2onnx) casts the sequence length to int32 and back
/// before its attention reshapes, and tract cannot carry a symbolic width
/// through int32, so without this the model can only be typed for one
/// width at a time. Shapes are exact in both types.
fn widen_shape_casts(proto: &mut tract_onnx::pb::ModelProto) {
    let Some(graph) = proto.graph.as_mut() else {
        return;
    };
    let shapes: std::collections::HashSet<String> = graph
        .node
        .iter()
        .filter(|n| n.op_type == "Shape")
        .flat_map(|n| n.output.iter().cloned())
        .collect();
    for node in graph
        .node
        .iter_mut()
        .filter(|n| n.op_type == "Cast" && n.input.first().is_some_and(|i| shapes.contains(i)))
    {
        for a in node.attribute.iter_mut() {
            if a.name == "to" && a.i == ONNX_INT32 {
                a.i = ONNX_INT64;
            }
        }
    }
}

/// The class labels: blank, the model's `character` metadata one per
/// line, then the space rapidocr appends.
fn labels(model: &InferenceModel) -> TractResult<Vec<String>> {
    let dict = model
        .properties
        .get("onnx.metadata_props.character")
        .ok_or_else(|| anyhow::anyhow!("the model carries no character dictionary"))?;
    let dict = dict
        .to_plain_array_view::<String>()?
        .iter()
        .next()
        .cloned()
        .unwrap_or_default();
    let mut labels = vec![String::new()];
    labels.extend(dict.lines().map(str::to_string));
    labels.push(" ".to_string());
    Ok(labels)
}

/// 1×3×48×W, (x/255 − 0.5)/0.5, the scaled line on the left and zeros
/// (mid grey, as rapidocr pads a batch) to the right up to the model's
/// minimum width and the next width step.
fn input_tensor(img: &GrayImage) -> TractResult<(Tensor, u32)> {
    let (w, h) = img.dimensions();
    anyhow::ensure!(w > 0 && h > 0, "empty image");
    let rw = ((HEIGHT as f32 * w as f32 / h as f32).ceil() as u32).clamp(1, MAX_WIDTH);
    let scaled = imageops::resize(img, rw, HEIGHT, imageops::FilterType::Triangle);
    let width = rw.max(MIN_WIDTH).div_ceil(WIDTH_STEP) * WIDTH_STEP;
    let width = width as usize;
    let plane = HEIGHT as usize * width;
    let mut data = vec![0f32; 3 * plane];
    for (x, y, p) in scaled.enumerate_pixels() {
        let v = p.0[0] as f32 / 255.0 * 2.0 - 1.0;
        let i = y as usize * width + x as usize;
        for c in 0..3 {
            data[c * plane + i] = v;
        }
    }
    Ok((
        Tensor::from_shape(&[1, 3, HEIGHT as usize, width], &data)?,
        rw,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::Luma;

    #[test]
    fn input_is_48_high_normalized_and_padded_with_grey() {
        // 200×100 → 96×48 → padded to the minimum width.
        let img = GrayImage::from_pixel(200, 100, Luma([255]));
        let (t, scaled) = input_tensor(&img).expect("tensor");
        assert_eq!(t.shape(), &[1, 3, 48, MIN_WIDTH as usize]);
        assert_eq!(scaled, 96);
        let v = t.to_plain_array_view::<f32>().expect("f32");
        assert_eq!(v[[0, 0, 0, 0]], 1.0);
        assert_eq!(v[[0, 2, 47, 95]], 1.0);
        assert_eq!(v[[0, 1, 10, 96]], 0.0);
        // Wide lines: the next width step, never far past the line.
        let wide = GrayImage::from_pixel(1000, 48, Luma([0]));
        let (t, _) = input_tensor(&wide).expect("tensor");
        assert_eq!(t.shape()[3], 1024);
        assert!(input_tensor(&GrayImage::new(0, 10)).is_err());
    }

    #[test]
    fn plans_from_the_model_typed_for_any_width_read_as_per_width_ones() {
        let Some(path) = model_path() else {
            eprintln!("skipped: {REC_MODEL} not installed (scripts/setup)");
            return;
        };
        let rec = Recognizer::load(&path).expect("model loads");
        assert!(rec.any_width.is_some(), "typed for any width");
        let img = GrayImage::from_fn(400, 40, |x, y| {
            Luma([if (x / 7 + y / 5) % 3 == 0 { 20 } else { 235 }])
        });
        let (input, _) = input_tensor(&img).expect("input");
        let width = input.shape()[3];
        let run = |plan: Plan| {
            plan.run(tvec!(input.clone().into_tvalue()))
                .expect("runs")
                .remove(0)
                .to_plain_array_view::<f32>()
                .expect("f32")
                .iter()
                .copied()
                .collect::<Vec<f32>>()
        };
        let shared = run(rec.plan(width).expect("plan"));
        let alone = run(rec
            .model
            .clone()
            .with_input_fact(0, f32::fact([1, 3, HEIGHT as usize, width]).into())
            .and_then(|m| m.into_optimized())
            .and_then(|m| m.into_runnable())
            .expect("per-width plan"));
        assert_eq!(shared.len(), alone.len());
        let most = shared
            .iter()
            .zip(&alone)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0f32, f32::max);
        assert!(most < 1e-4, "outputs differ by {most}");
    }

    #[test]
    fn a_missing_model_reads_nothing_and_says_why() {
        assert!(Recognizer::load(Path::new("/nonexistent/model.onnx")).is_err());
    }
}
