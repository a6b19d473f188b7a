namespace Hoursmith.Bench;

/// <summary>Words for time entry notes: what people write ("Reviewed invoice layout with client").</summary>
internal static class Vocabulary
{
    public static readonly string[] Verbs =
    [
        "Reviewed", "Fixed", "Updated", "Drafted", "Implemented", "Refactored", "Tested", "Deployed", "Planned", "Discussed",
        "Designed", "Documented", "Investigated", "Prepared", "Migrated", "Configured", "Estimated", "Researched", "Cleaned", "Merged",
        "Sketched", "Polished", "Wrote", "Called", "Met", "Debugged", "Prototyped", "Organized", "Analyzed", "Presented",
    ];

    public static readonly string[] Words =
    [
        "client", "meeting", "invoice", "layout", "homepage", "checkout", "onboarding", "dashboard", "report", "budget",
        "timeline", "wireframes", "mockups", "feedback", "backlog", "sprint", "release", "hotfix", "database", "schema",
        "migration", "pipeline", "deployment", "staging", "production", "server", "cache", "search", "filters", "pagination",
        "export", "import", "spreadsheet", "contract", "proposal", "estimate", "scope", "requirements", "workshop", "kickoff",
        "retrospective", "standup", "handover", "training", "support", "ticket", "tickets", "bug", "regression", "tests",
        "coverage", "accessibility", "typography", "colors", "palette", "logo", "branding", "illustrations", "icons", "photos",
        "copy", "content", "translations", "localization", "newsletter", "campaign", "analytics", "tracking", "metrics", "funnel",
        "conversion", "landing", "signup", "login", "password", "permissions", "roles", "tokens", "webhooks", "integration",
        "payments", "stripe", "subscriptions", "pricing", "plans", "billing", "taxes", "receipts", "expenses", "timesheet",
        "calendar", "scheduling", "notifications", "emails", "templates", "components", "storybook", "responsive", "mobile", "tablet",
        "desktop", "performance", "latency", "caching", "indexes", "queries", "logging", "monitoring", "alerts", "backups",
        "security", "audit", "compliance", "privacy", "gdpr", "cookies", "consent", "legal", "terms", "documentation",
        "readme", "changelog", "roadmap", "priorities", "stakeholders", "interviews", "personas", "journey", "prototype", "usability",
        "research", "survey", "results", "summary", "slides", "presentation", "demo", "walkthrough", "questions", "answers",
        "review", "approval", "revisions", "round", "final", "draft", "version", "assets", "handoff", "specs",
        "api", "endpoints", "sdk", "library", "upgrade", "dependencies", "framework", "refactoring", "cleanup", "linting",
        "formatting", "build", "ci", "docker", "kubernetes", "cluster", "network", "dns", "certificates", "domains",
        "hosting", "storage", "uploads", "images", "video", "thumbnails", "gallery", "carousel", "navigation", "menu",
        "footer", "header", "sidebar", "modal", "forms", "validation", "errors", "edge", "cases", "fallback",
        "offline", "sync", "conflicts", "merge", "branch", "hotline", "warehouse", "inventory", "catalog", "products",
    ];

    public static readonly string[] Joiners = ["with", "for", "and", "on", "about", "after", "before", "in"];

    public static readonly string[] ProjectNouns =
    [
        "Website Redesign", "Mobile App", "Brand Refresh", "Data Platform", "Customer Portal", "Marketing Site", "Shop Relaunch",
        "Internal Tools", "API Integration", "Booking System", "Annual Report", "Intranet", "Support Desk", "Analytics Setup",
        "Newsletter", "Onboarding Flow", "Payment Migration", "Design System", "SEO Audit", "Cloud Migration",
    ];

    public static readonly string[] ClientNames =
    [
        "Northwind Traders", "Contoso Ltd", "Fabrikam Inc", "Tailspin Toys", "Wide World Importers", "Adventure Works",
        "Litware", "Proseware", "Woodgrove Bank", "Alpine Ski House", "Coho Winery", "Blue Yonder Airlines",
    ];

    public static readonly string[] FirstNames =
    [
        "Ada", "Ben", "Chloe", "Dev", "Elena", "Farid", "Grace", "Hugo", "Ines", "Jonas", "Kira", "Liam", "Maya", "Noor",
        "Oscar", "Priya", "Quinn", "Rosa", "Sami", "Tomas", "Uma", "Vera", "Wen", "Yusuf", "Zoe",
    ];

    public static readonly string[] TaskNames =
    [
        "Discovery", "Design", "Development", "QA", "Project management", "Meetings", "Content", "Deployment", "Maintenance",
        "Research", "Support", "Documentation",
    ];
}
