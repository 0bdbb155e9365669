use std::net::SocketAddr;
use std::process::ExitCode;

use clap::Parser;
use pc_server::config::LogFormat;
use pc_server::domain::notifier::Channel;
use pc_server::storage::seed::{DEMO_AGENTS, DEMO_PASSWORD};
use pc_server::Config;
use tracing_subscriber::EnvFilter;

fn main() -> anyhow::Result<ExitCode> {
    return_large_blocks_to_the_system();
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(serve())
}

async fn serve() -> anyhow::Result<ExitCode> {
    let config = Config::parse();
    if let Some(command) = config.command.clone() {
        let succeeded = pc_server::cli::run(
            command,
            &config.database,
            &mut std::io::stdout(),
            &mut std::io::stderr(),
        )
        .await?;
        return Ok(if succeeded {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        });
    }
    let log = tracing_subscriber::fmt().with_env_filter(
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
    );
    match config.log_format {
        LogFormat::Text => log.init(),
        LogFormat::Json => log.json().flatten_event(true).init(),
    }
    if !config.dist.join("index.html").exists() {
        tracing::warn!(dist = %config.dist.display(), "no built app found; only the API is served");
    }
    let listen = config.listen;
    let database = config.database.clone();
    let demo = !config.no_demo_data;
    let demo_workbench = config.demo_workbench;
    let demo_identity_provider = config.demo_identity_provider.clone().filter(|_| demo);
    let metrics_listen = config.metrics_listen;
    let server = pc_server::build(config).await?;
    let seeded = server.seeded;
    if !server.recording_only.is_empty() {
        let channels: Vec<&str> = server
            .recording_only
            .iter()
            .map(|channel| match channel {
                Channel::Sms => "SMS (--sms-gateway-url)",
                Channel::Email => "email (--smtp-host)",
            })
            .collect();
        println!(
            "No gateway for {}: those verification codes are only recorded in the outbox table and the log.",
            channels.join(" or ")
        );
    }
    if seeded {
        println!("New database {database}: demo data seeded.");
    }
    if demo {
        println!("Demo sign-ins (password for all: {DEMO_PASSWORD}):");
        for agent in &DEMO_AGENTS {
            println!("  {:<12} {}", agent.business_account, agent.summary);
        }
    }
    if let Some(issuer) = demo_identity_provider {
        println!(
            "Single sign-on for northwind's agents (in a database seeded with it): \"Sign in with Northwind ID\", the test OpenID Provider at {issuer} (any password there)"
        );
    }
    let listener = tokio::net::TcpListener::bind(listen).await?;
    let app_origin = format!("http://{}", listener.local_addr()?);
    println!("Agent Personal Center listening on {app_origin}");
    if let Some(address) = demo_workbench {
        let workbench = tokio::net::TcpListener::bind(address).await?;
        let port = workbench.local_addr()?.port();
        println!("Demo workbench (another site, framing the app): http://localhost:{port}");
        tokio::spawn(async move {
            axum::serve(workbench, pc_server::web::workbench_demo::app(&app_origin)).await
        });
    }
    if let Some(address) = metrics_listen {
        let metrics = tokio::net::TcpListener::bind(address).await?;
        println!("Metrics: http://{}/metrics", metrics.local_addr()?);
        let routes = server.metrics;
        tokio::spawn(async move { axum::serve(metrics, routes).await });
    }
    // The peer's address: the sign-in throttle (SEC-1) and the audit trail (SEC-4) use it.
    let app = server
        .app
        .into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    Ok(ExitCode::SUCCESS)
}

/// Each password check takes ~19 MiB (argon2). glibc serves blocks that large with mmap at
/// first, but then raises its threshold and keeps them in per-thread arenas: 50 agents signing
/// in at once left the server at ~450 MB. A fixed threshold makes every such block go back to
/// the system when the check ends (the server rests at ~10 MB); the cost, a fresh mapping per
/// check, is small beside argon2's own work.
fn return_large_blocks_to_the_system() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        const LARGE_BLOCK_BYTES: libc::c_int = 128 * 1024;
        // SAFETY: mallopt only changes glibc's allocation policy; called before the runtime
        // starts any thread.
        unsafe {
            libc::mallopt(libc::M_MMAP_THRESHOLD, LARGE_BLOCK_BYTES);
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
