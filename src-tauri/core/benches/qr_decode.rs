//! QR decode benchmark: rate and speed per image class, side by side with zxing-cpp.
//!
//! `cargo bench -p spse-auth-core --bench qr_decode` (release). Classes: the zxing-cpp sample folders
//! (tests/data/zxing-qr) and the fixture categories of tests/data/fixtures/manifest.json, plus a
//! 3840×2160 screenshot with a QR (fixture 03a) and one without (fixture 09 scaled to 4K).
//! Per image the decode of an already-loaded image is timed (median of `REPS` runs, `NO_QR_REPS`
//! for images without a code, whose times are the smallest and the noisiest), on our side
//! `qr::decode` (including the conversion to luminance), on zxing-cpp's side `read_barcodes` on the
//! Pillow image. When `python3` can import `zxingcpp`, `benches/zxing_cpp_reference.py` runs beside
//! us: each image is timed by us and then by zxing-cpp before the next one, so both sides see the
//! same machine load, and the table gets the ratio ours/zxing-cpp of the mean times per class.
//!
//! `QR_BENCH_LIST=1` also prints one line per image (decoded or not, by both sides, and the passes
//! we ran), to compare two versions image by image; `QR_BENCH_VERBOSE=1` prints the pass trace of
//! slow or missed images while running; `QR_BENCH_ONLY=<text>` keeps the images whose path holds
//! the text (while tuning; the totals then cover those images only).
//!
//! A result is *correct* when every expected text was decoded (and nothing when none is expected),
//! *wrong* when something was decoded but not the expected texts, otherwise a miss; *extra* counts
//! correct results with one more, unlisted text (a real second symbol, e.g. the nested "double QR" of
//! zxing-cpp's qrcode-2/16, whose expected text names the inner code only). Expected texts are the `.txt` files read
//! as UTF-8 bytes, unchanged (zxing-cpp's sample texts are UTF-8, including Shift_JIS / ECI content
//! already converted, and some end in a newline that is part of the payload).

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::Instant;

use spse_auth_core::qr;

/// Timed runs per image (the median is kept).
const REPS: usize = 3;
/// Timed runs per image without a QR code.
const NO_QR_REPS: usize = 9;

/// Timed runs for `case`.
fn reps(case: &Case) -> usize {
    if case.expected.is_empty() {
        NO_QR_REPS
    } else {
        REPS
    }
}

struct Case {
    class: String,
    path: PathBuf,
    expected: Vec<String>,
}

#[derive(Default, Clone)]
struct Outcome {
    correct: bool,
    wrong: bool,
    /// Correct, plus a text that is not listed (a real second code).
    extra: bool,
    ms: f64,
}

fn data_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.join("../../tests/data")
}

fn read_text(p: &Path) -> Option<String> {
    std::fs::read(p)
        .ok()
        .map(|b| String::from_utf8(b).expect("expected texts are UTF-8"))
}

fn cases(tmp: &Path) -> Vec<Case> {
    let root = data_root();
    let mut out = Vec::new();
    for folder in ["qrcode-1", "qrcode-2", "qrcode-3", "qrcode-5"] {
        let dir = root.join("zxing-qr").join(folder);
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.expect("dir entry").path())
            .filter(|p| !p.to_string_lossy().ends_with(".txt"))
            .collect();
        files.sort();
        for path in files {
            let expected = read_text(&path.with_extension("txt")).expect("expected .txt");
            out.push(Case {
                class: format!("zxing {folder}"),
                path,
                expected: vec![expected],
            });
        }
    }
    let fixtures = root.join("fixtures");
    let manifest: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(fixtures.join("manifest.json")).expect("manifest.json"),
    )
    .expect("manifest JSON");
    for f in manifest["fixtures"].as_array().expect("fixtures array") {
        let file = f["file"].as_str().expect("file");
        let path = fixtures.join(file);
        let stem = path.with_extension("");
        let mut expected: Vec<String> = [".txt", ".2.txt"]
            .iter()
            .filter_map(|ext| read_text(Path::new(&format!("{}{ext}", stem.display()))))
            .filter(|t| !t.is_empty())
            .collect();
        expected.sort();
        out.push(Case {
            class: format!("fixtures {}", f["category"].as_str().expect("category")),
            path,
            expected,
        });
    }
    // The 4K rows: fixture 03a as it is, and fixture 09 (no QR) scaled to 3840×2160.
    let hidpi = fixtures.join("03a_screenshot_3840x2160_hidpi.png");
    out.push(Case {
        class: "4K screenshot with QR (03a)".into(),
        path: hidpi.clone(),
        expected: vec![read_text(&hidpi.with_extension("txt")).expect("03a txt")],
    });
    let page = image::open(fixtures.join("09_no_qr_page.png")).expect("09");
    let big = page.resize_exact(3840, 2160, image::imageops::FilterType::Triangle);
    let no_qr = tmp.join("no_qr_3840x2160.png");
    big.save(&no_qr).expect("write 4K no-QR image");
    out.push(Case {
        class: "4K screenshot without QR".into(),
        path: no_qr,
        expected: vec![],
    });
    if std::env::var_os("QR_BENCH_PASTED").is_some() {
        let pasted = pasted_cases(&out, &page, tmp);
        out.extend(pasted);
    }
    out
}

/// `QR_BENCH_PASTED=1`: every zxing sample and small fixture with a code, pasted in the middle of
/// fixture 09's 1920×1080 page (a code on a web page: the large-image path, with its work budget),
/// as it is, at low contrast (grey levels squeezed into 96–160) and blurred (Gaussian, σ = 1).
fn pasted_cases(cases: &[Case], page: &image::DynamicImage, tmp: &Path) -> Vec<Case> {
    let mut out = Vec::new();
    for (i, c) in cases.iter().enumerate() {
        let small = image::open(&c.path).expect("bench images load").to_rgb8();
        if c.expected.is_empty() || small.width() > 1200 || small.height() > 800 {
            continue;
        }
        let mut low = small.clone();
        for p in low.pixels_mut() {
            p.0 = p.0.map(|v| 96 + (u16::from(v) * 64 / 255) as u8);
        }
        let blurred = image::imageops::blur(&small, 1.0);
        for (variant, img) in [
            ("plain", small),
            ("low-contrast", low),
            ("blurred", blurred),
        ] {
            let mut canvas = page.to_rgb8();
            let (x, y) = ((1920 - img.width()) / 2, (1080 - img.height()) / 2);
            image::imageops::overlay(&mut canvas, &img, x.into(), y.into());
            let name = c.path.file_stem().unwrap_or_default().to_string_lossy();
            let path = tmp.join(format!("pasted-{variant}-{i:03}-{name}.png"));
            canvas.save(&path).expect("write pasted image");
            out.push(Case {
                class: format!("pasted into 09, {variant}"),
                path,
                expected: c.expected.clone(),
            });
        }
    }
    out
}

/// (correct, wrong): correct when every expected text was decoded (and nothing when none is
/// expected); wrong when something was decoded but not all expected texts. An extra text beside the
/// expected ones (zxing-cpp's qrcode-2/16 holds two nested codes, only one listed) is counted apart.
fn judge(expected: &[String], got: &[String]) -> (bool, bool, bool) {
    let all = expected.iter().all(|e| got.contains(e));
    let correct = all && (!expected.is_empty() || got.is_empty());
    let extra = got.iter().any(|t| !expected.contains(t));
    (correct, !got.is_empty() && !correct, extra && correct)
}

fn ours(case: &Case) -> Outcome {
    let image = image::open(&case.path).expect("bench images load");
    let mut times = Vec::new();
    let mut texts = Vec::new();
    for _ in 0..reps(case) {
        let t0 = Instant::now();
        texts = qr::decode(&image);
        times.push(t0.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    let (correct, wrong, extra) = judge(&case.expected, &texts);
    Outcome {
        correct,
        wrong,
        extra,
        ms: times[times.len() / 2],
    }
}

/// The zxing-cpp reference process (`benches/zxing_cpp_reference.py`), asked one image at a time.
struct Reference {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

impl Reference {
    /// Starts the reference, or `None` (with the reason on stderr) when it cannot run.
    fn start() -> Option<Reference> {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/zxing_cpp_reference.py");
        let mut child = Command::new("python3")
            .arg(&script)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| eprintln!("zxing-cpp reference not run: python3: {e}"))
            .ok()?;
        let stdin = child.stdin.take()?;
        let stdout = BufReader::new(child.stdout.take()?);
        let mut reference = Reference {
            child,
            stdin,
            stdout,
        };
        // A missing module makes the script exit at once: its first answer never comes.
        if reference.ask_line("0\t-").is_none() {
            let out = reference.child.wait_with_output().ok()?;
            eprintln!(
                "zxing-cpp reference not run: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            );
            return None;
        }
        Some(reference)
    }

    fn ask_line(&mut self, line: &str) -> Option<serde_json::Value> {
        writeln!(self.stdin, "{line}").ok()?;
        self.stdin.flush().ok()?;
        let mut answer = String::new();
        self.stdout.read_line(&mut answer).ok()?;
        serde_json::from_str(&answer).ok()
    }

    /// zxing-cpp's outcome on `case`, or `None` when the reference stopped answering.
    fn ask(&mut self, case: &Case) -> Option<Outcome> {
        let v = self.ask_line(&format!("{}\t{}", reps(case), case.path.display()))?;
        let texts = v["texts"]
            .as_array()?
            .iter()
            .map(|t| t.as_str().unwrap_or_default().to_owned())
            .collect::<Vec<_>>();
        let (correct, wrong, extra) = judge(&case.expected, &texts);
        Some(Outcome {
            correct,
            wrong,
            extra,
            ms: v["ms"].as_f64().unwrap_or(f64::NAN),
        })
    }
}

fn stats(v: &[&Outcome]) -> (usize, usize, usize, f64, f64) {
    let correct = v.iter().filter(|o| o.correct).count();
    let wrong = v.iter().filter(|o| o.wrong).count();
    let extra = v.iter().filter(|o| o.extra).count();
    let mut ms: Vec<f64> = v.iter().map(|o| o.ms).collect();
    ms.sort_by(f64::total_cmp);
    let mean = ms.iter().sum::<f64>() / ms.len() as f64;
    (correct, wrong, extra, mean, ms[ms.len() / 2])
}

/// "ok", "miss" or "WRONG".
fn verdict(o: &Outcome) -> &'static str {
    if o.wrong {
        "WRONG"
    } else if o.correct {
        "ok"
    } else {
        "miss"
    }
}

/// Our pass trace on `case`: symbols found, passes run and their times.
fn trace_line(case: &Case) -> String {
    let image = image::open(&case.path).expect("bench images load");
    let trace = qr::decode_traced(&image);
    format!(
        "{} symbol(s), prep {:.1} ms, finder candidates {:?}, passes {:?} ms {:?}",
        trace.symbols.len(),
        trace.prep_ms,
        trace.finder_candidates,
        trace.passes,
        trace
            .pass_ms
            .iter()
            .map(|m| format!("{m:.1}"))
            .collect::<Vec<_>>()
    )
}

fn main() {
    // `cargo bench` passes `--bench`; nothing else to parse.
    let tmp = std::env::temp_dir().join(format!("spse-qr-bench-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).expect("temp dir");
    let mut cases = cases(&tmp);
    if let Some(only) = std::env::var_os("QR_BENCH_ONLY") {
        let only = only.to_string_lossy().into_owned();
        cases.retain(|c| c.path.to_string_lossy().contains(&only));
    }
    let verbose = std::env::var_os("QR_BENCH_VERBOSE").is_some();
    let mut reference = Reference::start();
    // Warm-up, as the reference does (see zxing_cpp_reference.py).
    let blank = image::DynamicImage::ImageLuma8(image::GrayImage::from_pixel(
        1920,
        1080,
        image::Luma([255]),
    ));
    for _ in 0..10 {
        qr::decode(&blank);
    }
    let mut ours_all = Vec::new();
    let mut theirs_all = Vec::new();
    for c in &cases {
        let o = ours(c);
        if verbose && (!o.correct || o.ms > 20.0) {
            eprintln!("{} {}: {}", verdict(&o), c.path.display(), trace_line(c));
        }
        ours_all.push(o);
        // Right after ours, on the same image: both sides see the same machine load.
        if let Some(r) = reference.as_mut() {
            match r.ask(c) {
                Some(t) => theirs_all.push(t),
                None => {
                    eprintln!("zxing-cpp reference stopped answering; its columns are n/a");
                    reference = None;
                }
            }
        }
    }
    let (ours, theirs) = (
        ours_all,
        (theirs_all.len() == cases.len()).then_some(theirs_all),
    );
    if std::env::var_os("QR_BENCH_LIST").is_some() {
        for (i, c) in cases.iter().enumerate() {
            let zx = theirs.as_ref().map_or("n/a", |t| verdict(&t[i]));
            println!(
                "{:<5} {:<5} {:>7.1} ms {}: {}",
                verdict(&ours[i]),
                zx,
                ours[i].ms,
                c.path
                    .strip_prefix(data_root())
                    .or_else(|_| c.path.strip_prefix(&tmp))
                    .unwrap_or(&c.path)
                    .display(),
                trace_line(c)
            );
        }
        println!();
    }

    let mut classes: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, c) in cases.iter().enumerate() {
        classes.entry(c.class.as_str()).or_default().push(i);
    }
    println!(
        "| class | images | ours correct | ours wrong | ours extra | ours mean ms | ours median ms | zxing-cpp correct | zxing-cpp wrong | zxing-cpp extra | zxing-cpp mean ms | zxing-cpp median ms | ours/zxing-cpp (mean) |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    let row = |name: &str, idx: &[usize]| {
        if idx.is_empty() {
            return;
        }
        let o: Vec<&Outcome> = idx.iter().map(|&i| &ours[i]).collect();
        let (c, w, x, mean, med) = stats(&o);
        let z = match &theirs {
            Some(t) => {
                let t: Vec<&Outcome> = idx.iter().map(|&i| &t[i]).collect();
                let (c, w, x, zmean, zmed) = stats(&t);
                format!(
                    "{c} | {w} | {x} | {zmean:.1} | {zmed:.1} | {:.2}×",
                    mean / zmean
                )
            }
            None => "n/a | n/a | n/a | n/a | n/a | n/a".into(),
        };
        println!(
            "| {name} | {} | {c} | {w} | {x} | {mean:.1} | {med:.1} | {z} |",
            idx.len()
        );
    };
    for (name, idx) in &classes {
        row(name, idx);
    }
    let zx: Vec<usize> = (0..cases.len())
        .filter(|&i| cases[i].class.starts_with("zxing"))
        .collect();
    row("**zxing qrcode-1/2/3/5 total**", &zx);
    let fx: Vec<usize> = (0..cases.len())
        .filter(|&i| cases[i].class.starts_with("fixtures"))
        .collect();
    row("**fixtures total**", &fx);

    // Structured append (qrcode-7): four images, one message.
    let dir = data_root().join("zxing-qr/qrcode-7");
    let expected = read_text(&dir.join("01.txt")).expect("qrcode-7 01.txt");
    let mut symbols = Vec::new();
    let t0 = Instant::now();
    for i in 1..=4 {
        let image = image::open(dir.join(format!("01-0{i}.png"))).expect("qrcode-7 part");
        symbols.extend(qr::decode_symbols(&image));
    }
    let ms = t0.elapsed().as_secs_f64() * 1000.0;
    let joined = qr::join_structured_append(symbols);
    println!(
        "\nqrcode-7 structured append (4 images joined with join_structured_append): {} in {ms:.1} ms",
        if joined == [expected] { "correct" } else { "NOT joined" }
    );
    let _ = std::fs::remove_dir_all(&tmp);
}
