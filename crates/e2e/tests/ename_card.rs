//! PER-6 E-Name Card as an agent meets it in Chromium: generate, see the link the routing
//! service resolves, copy it, download the QR code and read it back; no section without the
//! permission.

use fantoccini::Locator;
use pc_e2e::{Harness, Key, Page};
use serde_json::{json, Value};

const ROUTING_TOKEN: &str = "e2e-routing-service-token";

async fn start() -> Harness {
    Harness::start_with(&["--routing-token", ROUTING_TOKEN]).await
}

/// A GET from the page, as `fetch` does it: the status and the JSON body.
async fn fetch(h: &Page, path: &str, token: Option<&str>) -> (u64, Value) {
    let script = "const [path, token, done] = arguments;
        const headers = token ? {Authorization: 'Bearer ' + token} : {};
        fetch(path, {headers}).then(async r => done([r.status, await r.json()]))
            .catch(e => done([0, String(e)]));";
    let answer = h
        .browser
        .execute_async(script, vec![json!(path), json!(token)])
        .await
        .expect("fetch from the page");
    (answer[0].as_u64().unwrap(), answer[1].clone())
}

/// What the routing service gets for the code in `link`.
async fn resolve(h: &Page, link: &str) -> (u64, Value) {
    let code = link.rsplit("%20").next().unwrap();
    assert!(code.starts_with("PC-"), "{link}");
    fetch(
        h,
        &format!("/api/routing-codes/{code}"),
        Some(ROUTING_TOKEN),
    )
    .await
}

/// Reads a QR code out of PNG bytes with a real decoder.
fn decode_png(bytes: &[u8]) -> (u32, String) {
    let mut reader = png::Decoder::new(std::io::Cursor::new(bytes))
        .read_info()
        .expect("a PNG");
    let mut buffer = vec![0; reader.output_buffer_size()];
    let frame = reader.next_frame(&mut buffer).expect("PNG data");
    assert_eq!(frame.width, frame.height, "square");
    let (width, line) = (frame.width as usize, frame.line_size);
    let bits = frame.bit_depth as usize;
    assert_eq!(frame.color_type, png::ColorType::Grayscale);
    let luma = |x: usize, y: usize| {
        let bit = x * bits;
        let byte = buffer[y * line + bit / 8];
        let value = (byte >> (8 - bits - bit % 8)) & ((1 << bits) - 1) as u8;
        if value == 0 {
            0
        } else {
            255
        }
    };
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(width, width, luma);
    let grids = image.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code in the PNG");
    (frame.width, grids[0].decode().expect("readable").1)
}

async fn show_card(h: &Page) {
    h.browser
        .execute(
            "document.querySelector('[data-testid=ecard-card]').scrollIntoView({block: 'end'})",
            vec![],
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn an_agent_with_the_permission_generates_a_card_whose_link_routes_to_them() {
    let h = start().await;
    h.open_settings("alice.wang", Some("en")).await;
    h.find("[data-testid=ecard]").await;
    assert_eq!(
        h.text("label[for=ecard-org-unit]").await,
        "Organization Unit"
    );
    assert_eq!(
        h.text("label[for=ecard-channel]").await,
        "Channel Selection"
    );
    // Her own OU and the one beneath it, nothing else.
    let ous = h
        .browser
        .find_all(Locator::Css("#ecard-org-unit option"))
        .await
        .unwrap();
    assert_eq!(ous.len(), 3);

    // Customer Care and its English channel, by the IDs a new database gives the demo's
    // (demo/tenants.toml's order).
    h.select("#ecard-org-unit", "2").await;
    h.select("#ecard-channel", "2").await;
    h.click("#ecard-generate").await;
    h.expect_text(
        "[data-testid=ecard-status]",
        "Your card is ready. Share the link or the QR code.",
    )
    .await;
    h.expect_text("#ecard-name", "Alice Wang").await;
    h.expect_text(
        "[data-testid=ecard-channel]",
        "Northwind Care WhatsApp (English) · +447700900123",
    )
    .await;
    let link = h.value("#ecard-link").await;
    assert!(
        link.starts_with("https://wa.me/447700900123?text="),
        "{link}"
    );

    // BEY-1: the preview beside the settings shows the first message a customer sends, with
    // the code the link carries.
    let code = link.rsplit("%20").next().unwrap();
    let first_message = h.text("[data-testid=preview-whatsapp]").await;
    assert!(first_message.ends_with(code), "{first_message} / {code}");

    // The routing service resolves the code in the link shown to this agent and channel.
    let (status, target) = resolve(&h, &link).await;
    assert_eq!(status, 200, "{target}");
    assert_eq!(target["link"], link.as_str());
    assert_eq!(target["agent_id"], 1001);
    assert_eq!(target["channel_id"], 2);
    assert_eq!(target["org_unit_id"], 2);

    // The downloaded PNG holds exactly the link; the SVG is a vector drawing of the same code.
    h.click("#ecard-download-png").await;
    let png = h
        .downloaded("e-name-card-northwind-care-whatsapp-english.png")
        .await;
    let (width, decoded) = decode_png(&png);
    assert!(width >= 512, "{width} px");
    assert_eq!(decoded, link);
    h.click("#ecard-download-svg").await;
    let svg = h
        .downloaded("e-name-card-northwind-care-whatsapp-english.svg")
        .await;
    let svg = String::from_utf8(svg).unwrap();
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(svg.contains("shape-rendering=\"crispEdges\""));

    // Copying works by the Clipboard API or, where it is refused, by the fallback.
    h.click("#ecard-copy").await;
    let copied = "The link is copied.";
    let keyboard = "The link is selected: press Ctrl+C (⌘C on a Mac) to copy it.";
    for _ in 0..100 {
        let status = h.text("[data-testid=ecard-status]").await;
        if status == copied || status == keyboard {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let status = h.text("[data-testid=ecard-status]").await;
    assert!(status == copied || status == keyboard, "{status}");

    show_card(&h).await;
    h.screenshot("ecard-generated").await;

    // Generating again, by keyboard, replaces the link; the old code stops resolving.
    h.expect_text("#ecard-generate", "Generate a new link")
        .await;
    h.browser
        .execute("document.getElementById('ecard-generate').focus()", vec![])
        .await
        .unwrap();
    h.press(Key::Enter).await;
    for _ in 0..100 {
        if h.value("#ecard-link").await != link {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let new_link = h.value("#ecard-link").await;
    assert_ne!(new_link, link);
    assert_eq!(resolve(&h, &link).await.0, 404);
    let (status, target) = resolve(&h, &new_link).await;
    assert_eq!(
        (status, target["link"].as_str()),
        (200, Some(new_link.as_str()))
    );

    // After a reload the current card is shown again, unchanged.
    h.browser.refresh().await.unwrap();
    h.find("[data-testid=ecard-card]").await;
    assert_eq!(h.value("#ecard-link").await, new_link);

    // A nickname saved in the settings above shows on the card at once; the link stays.
    h.click("#edit-settings").await;
    h.type_into("#nickname", "小王 Alice").await;
    h.click("#save-settings").await;
    h.expect_text("#ecard-name", "小王 Alice").await;
    assert_eq!(h.value("#ecard-link").await, new_link);
    h.finish().await;
}

#[tokio::test]
async fn an_agent_without_the_permission_sees_no_e_name_card() {
    let h = start().await;
    h.open_settings("bob.li", Some("en")).await;
    // The agent identity has loaded once the Agent Info data could have; give the section as
    // long as it would take, then check it is not there.
    let (status, _) = fetch(&h, "/api/me/agent", None).await;
    assert_eq!(status, 200);
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    assert!(!h.exists("[data-testid=ecard]").await);
    assert!(!h.exists("#ecard-org-unit").await);
    // The server refuses him too.
    let (status, problem) = fetch(&h, "/api/me/business-cards", None).await;
    assert_eq!(status, 403);
    assert_eq!(problem["type"], "/problems/forbidden");
    h.finish().await;
}

#[tokio::test]
async fn the_e_name_card_reads_in_chinese() {
    let h = start().await;
    h.open_settings("alice.wang", Some("zh-CN")).await;
    h.find("[data-testid=ecard]").await;
    h.expect_text("#ecard-heading", "电子名片").await;
    assert_eq!(h.text("label[for=ecard-org-unit]").await, "组织单元");
    assert_eq!(h.text("label[for=ecard-channel]").await, "渠道选择");

    // Generate without a choice: each field says why, in Chinese.
    h.click("#ecard-generate").await;
    h.find("#ecard-org-unit-error").await;
    assert_eq!(
        h.attr("#ecard-org-unit", "aria-invalid").await.as_deref(),
        Some("true")
    );

    h.select("#ecard-org-unit", "4").await;
    h.expect_text(
        "#ecard-channel option:checked",
        "Northwind VIP WhatsApp (+8613700137000)",
    )
    .await;
    h.click("#ecard-generate").await;
    h.expect_text(
        "[data-testid=ecard-status]",
        "您的名片已生成，可以分享链接或二维码。",
    )
    .await;
    let link = h.value("#ecard-link").await;
    assert_eq!(
        resolve(&h, &link).await.1["channel_id"],
        4,
        "Customer Care VIP's channel"
    );
    show_card(&h).await;
    h.screenshot("ecard-generated-zh-CN").await;
    h.finish().await;
}
