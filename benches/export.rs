//! Export speed: 1,000,000 annotated sentences to `jsonl` (target: at most 2 s), and the
//! heap that the export itself takes, which must not grow with the sentences written.

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::io::{self, BufWriter};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use criterion::{Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use stance::corpus::{Article, segment};
use stance::export::{Format, LabelSet, Options, Resolve, Split, export};
use stance::store::{Annotation, Event};

/// Counts live heap bytes and their peak, so the export's own memory can be read off.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(live, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const SENTENCES: [&str; 8] = [
    "SEOUL (Reuters) - Foreign Minister Lin Arvo met China s envoy on Monday and said both \
     sides agreed to resume talks in March.",
    "Customs data showed Iran cut off shipments of semiconductors to Japan for a fourth \
     straight month.",
    "The missile flew about 950 km before landing in the sea, officials said.",
    "Analysts said it was too early to tell whether ties were warming.",
    "Ukraine said it will strictly enforce U.N. Security Council sanctions banning imports \
     of seafood and crude oil.",
    "Diplomats said a joint statement could be signed as early as Friday, though no date \
     was set.",
    "Satellite images showed activity at a test site, suggesting preparations for a \
     nuclear test.",
    "The statement did not elaborate.",
];
const LABELS: [&[&str]; 4] = [&["diplomatic"], &["sanctions"], &["military"], &[]];

/// `articles` articles of about 20 sentences; the first 1,000,000 sentences annotated.
fn corpus(articles: usize) -> (Vec<Article>, Vec<Event>) {
    let mut all = Vec::with_capacity(articles);
    let mut events = Vec::with_capacity(articles * 20);
    for a in 0..articles {
        let text: Vec<&str> = (0..20).map(|s| SENTENCES[(a * 7 + s) % 8]).collect();
        let article = Article {
            id: format!("a{a:07}"),
            title: String::new(),
            text: text.join(if a % 2 == 0 { " " } else { "\n" }),
            meta: Vec::new(),
            source: String::new(),
        };
        for (i, span) in segment(&article.text).into_iter().enumerate() {
            let sentence = &article.text[span.start..span.end];
            events.push(Event::set(
                &article.id,
                span.start,
                sentence,
                LABELS[(a + i) % 4].iter().copied(),
                "analyst",
                (a * 20 + i) as u64,
            ));
        }
        all.push(article);
    }
    events.truncate(1_000_000);
    (all, events)
}

fn options(format: Format) -> Options {
    Options {
        format,
        labels: LabelSet::new(["diplomatic", "sanctions", "military"], false),
        split: Some(Split::parse("80,10,10", 0).unwrap()),
        context: None,
        include_unlabeled: false,
        only_label: None,
        resolve: Resolve::Latest,
        meta: None,
        boundaries: Default::default(),
        include_ignored: false,
        remarks: Default::default(),
    }
}

/// Peak heap taken by one export above what was live before it.
fn export_peak(articles: &[Article], events: &[Event], options: &Options) -> (usize, usize) {
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let out = BufWriter::with_capacity(1 << 16, io::sink());
    let views = events.iter().map(Annotation::from);
    let summary = export(articles, views, options, out).unwrap();
    (
        summary.total.sentences,
        PEAK.load(Ordering::Relaxed) - before,
    )
}

fn bench(c: &mut Criterion) {
    let (articles, events) = corpus(50_000);
    let sentences = events.len() as u64;
    eprintln!(
        "corpus: {} articles, {sentences} annotated sentences",
        articles.len()
    );

    // Same input, everything or nearly nothing written: the export's own peak heap
    // (the index of annotations by article, one article's sentences) stays the same.
    let all = options(Format::Jsonl);
    let mut few = options(Format::Jsonl);
    few.split = Some(Split::parse("0,0,100", 0).unwrap());
    few.only_label = Some(stance::export::OnlyLabel::Label(0));
    let filtered: Vec<Article> = articles.iter().take(50).cloned().collect();
    for (name, subset, opts) in [
        ("all 1,000,000", &articles[..], &all),
        ("--label diplomatic", &articles[..], &few),
        ("first 50 articles", &filtered[..], &all),
    ] {
        let (written, peak) = export_peak(subset, &events, opts);
        eprintln!(
            "peak export heap, {name}: {written} written, {} KiB",
            peak / 1024
        );
    }

    let mut group = c.benchmark_group("export");
    group.sample_size(10);
    group.sampling_mode(SamplingMode::Flat);
    group.measurement_time(Duration::from_secs(20));
    group.throughput(Throughput::Elements(sentences));
    for (name, format) in [("jsonl_1m", Format::Jsonl), ("csv_1m", Format::Csv)] {
        let opts = options(format);
        group.bench_function(name, |b| {
            b.iter(|| {
                let out = BufWriter::with_capacity(1 << 16, io::sink());
                let views = events.iter().map(Annotation::from);
                black_box(export(&articles, views, &opts, out).unwrap())
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
