//! `graph-endpoint-gen --metadata FILE_OR_URL [options] TYPE...`: see `--help`.

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(subcommand @ ("routes" | "route-index")) = args.first().map(String::as_str) {
        return match graph_endpoint_gen::route_cli::run(subcommand, &args[1..]) {
            Ok(done) => {
                eprintln!("{done}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(2)
            }
        };
    }
    let command = match graph_endpoint_gen::parse_args(&args) {
        Ok(Some(command)) => command,
        Ok(None) => {
            println!("{}", graph_endpoint_gen::USAGE);
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let document = match command.metadata.load(command.refresh) {
        Ok(document) => document,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    if let Some(message) = document.origin.message() {
        eprintln!("{message}");
    }
    let generated = match graph_endpoint_gen::run(&command, &document) {
        Ok(g) => g,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    match &command.out {
        Some(path) => {
            if let Err(e) = std::fs::write(path, &generated.code) {
                eprintln!("error: cannot write `{}`: {e}", path.display());
                return ExitCode::FAILURE;
            }
            eprintln!(
                "wrote {} ({} lines: {} structs, {} enums, {} polymorphic enums, {} endpoints)",
                path.display(),
                generated.code.lines().count(),
                generated.structs,
                generated.enums,
                generated.polymorphic,
                generated.endpoints
            );
        }
        None => print!("{}", generated.code),
    }
    ExitCode::SUCCESS
}
