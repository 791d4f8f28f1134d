/// The built-in guardrail patterns: identical to the rows migrations 006 and 010 seed in `operation_guardrails`, and
/// used when that table cannot be read (`GUARDRAILS_CODE_FALLBACK`) so every blocking category still blocks.
///
/// Patterns are searched case-insensitively in each canonical command line (see `CommandNormalizer`); every line
/// ends with ` ;`, which the SQL patterns use as the statement end.
public enum GuardrailRegistry {
    public static let builtIn: [GuardrailPattern] = [
        GuardrailPattern(name: "git_force_push", category: .git, pattern: #"git\s+push\s+.*--force"#,
                         severity: .block, minTrustLevel: 3, description: "Force push overwrites the remote history"),
        GuardrailPattern(name: "git_reset_hard", category: .git, pattern: #"git\s+reset\s+--hard"#,
                         severity: .block, minTrustLevel: 3, description: "Hard reset discards uncommitted changes"),
        GuardrailPattern(name: "git_clean_force", category: .git, pattern: #"git\s+clean\s+-[fd]"#,
                         severity: .block, minTrustLevel: 3, description: "git clean removes untracked files"),
        GuardrailPattern(name: "git_branch_delete", category: .git, pattern: #"git\s+(branch\s+-D|push\s+.*--delete)"#,
                         severity: .block, minTrustLevel: 3, description: "Deleting a branch may lose work"),
        GuardrailPattern(name: "rm_recursive_force", category: .file, pattern: #"rm\s+-r[f]?\s+/"#,
                         severity: .block, minTrustLevel: 4, description: "Recursive delete from the root is destructive"),
        GuardrailPattern(name: "rm_rf", category: .file, pattern: #"(rm\s+-rf\s+|shutil\.rmtree\(|rmSync\([^)]*recursive|File::Path.*rmtree|FileUtils\.rm_r)"#,
                         severity: .block, minTrustLevel: 3, description: "Forced recursive delete is destructive"),
        GuardrailPattern(name: "find_delete", category: .file, pattern: #"find\s+.*-delete"#,
                         severity: .block, minTrustLevel: 3, description: "find -delete can remove many files at once"),
        GuardrailPattern(name: "drop_table", category: .database, pattern: #"(DROP\s+(TABLE|DATABASE|SCHEMA)|dropdb\s+[^;\s]|mysqladmin\s.*\sdrop\s)"#,
                         severity: .block, minTrustLevel: 4, description: "Dropping a table destroys its data"),
        GuardrailPattern(name: "truncate_table", category: .database, pattern: #"TRUNCATE\s+(TABLE\s+|ONLY\s+)?[\w."`]+(\s*,\s*[\w."`]+)*(\s+(CASCADE|RESTRICT|RESTART\s+IDENTITY|CONTINUE\s+IDENTITY))*\s*;"#,
                         severity: .block, minTrustLevel: 4, description: "Truncating a table destroys its data"),
        GuardrailPattern(name: "delete_no_where", category: .database, pattern: #"DELETE\s+FROM\s+(ONLY\s+)?[\w."`]+(\s+(AS\s+)?\w+)?(\s+WHERE\s+(1\s*=\s*1|true))?(\s+RETURNING\s+[^;]*)?\s*;"#,
                         severity: .block, minTrustLevel: 3, description: "DELETE without WHERE removes every row"),
        GuardrailPattern(name: "env_file_modify", category: .credential, pattern: #"(^|[\s/=<>:"'@])[\w.-]*\.env(\.(local|production|prod|development|dev|staging|test))?([\s;"']|$)"#,
                         severity: .block, minTrustLevel: 2, description: "Environment files may contain secrets"),
        GuardrailPattern(name: "credentials_file", category: .credential, pattern: #"(/[\w.-]*(credentials|secrets|passwords)([\s;"'/]|$)|(^|[\s/=<>:"'@])[\w.-]*(credentials|secrets|passwords)[\w-]*\.(json|ya?ml|txt|toml|ini|env|xml|conf|cfg|properties|csv))"#,
                         severity: .block, minTrustLevel: 2, description: "Credential files must not be modified by agents"),
        GuardrailPattern(name: "ssh_key_modify", category: .credential, pattern: #"\.ssh/(id_[\w-]+([\s;"']|$)|authorized_keys)"#,
                         severity: .block, minTrustLevel: 4, description: "Changing SSH keys is security-sensitive"),
        GuardrailPattern(name: "deploy_command", category: .deployment, pattern: #"(kubectl\s+(apply|create|delete|replace|patch)|terraform\s+(apply|destroy)|docker\s+(push|buildx\s+build\s.*--push)|helm\s+(install|upgrade|uninstall|delete))"#,
                         severity: .block, minTrustLevel: 3, description: "Production deployment requires approval"),
        GuardrailPattern(name: "npm_publish", category: .deployment, pattern: #"((npm|pnpm|yarn)\s+publish|cargo\s+publish|twine\s+upload)"#,
                         severity: .block, minTrustLevel: 3, description: "Publishing a package requires approval"),
    ]
}
