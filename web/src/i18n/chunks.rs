//! Messages shown while a partner screen downloads (see `lazy_routes.rs`).

messages! {
    loading: "Loading…", "読み込んでいます…";
    failed_title: "Screen not available", "画面を表示できません";
    download_failed: "This screen could not be downloaded. Check your connection and try again.",
        "この画面をダウンロードできませんでした。接続を確認して、もう一度お試しください。";
    retry: "Retry", "再試行";
}
