using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Moderation.Data.Access;
using Moderation.Data.Audit;
using Moderation.Data.Comments;
using Moderation.Data.Models;
using Moderation.Data.Outbox;
using Moderation.Data.Reputation;
using Moderation.Data.Reviews;
using Moderation.Data.Sites;

namespace Moderation.Data;

/// <summary>
/// One model for both providers. Each provider has its own subclass so that each keeps its own
/// migrations (PostgreSQL in production, SQLite in standalone).
/// </summary>
public abstract class ModerationDb(DbContextOptions options) : DbContext(options)
{
    public DbSet<Site> Sites => Set<Site>();
    public DbSet<Comment> Comments => Set<Comment>();
    public DbSet<Ban> Bans => Set<Ban>();
    public DbSet<Label> Labels => Set<Label>();
    public DbSet<SpamModelVersion> SpamModels => Set<SpamModelVersion>();
    public DbSet<Report> Reports => Set<Report>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<AuditEntry> Audit => Set<AuditEntry>();
    public DbSet<TrainingJob> TrainingJobs => Set<TrainingJob>();
    public DbSet<OutboxMessage> Outbox => Set<OutboxMessage>();
    public DbSet<DomainReputation> DomainReputation => Set<DomainReputation>();

    protected override void ConfigureConventions(ModelConfigurationBuilder conventions)
    {
        // Every time is UTC; SQLite forgets the kind, so say it again on the way out.
        conventions.Properties<DateTime>().HaveConversion<UtcConverter>();
        conventions.Properties<DateTime?>().HaveConversion<UtcConverter>();
    }

    private sealed class UtcConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.Entity<Site>(site =>
        {
            site.ToTable("sites");
            site.HasKey(s => s.Id);
            site.Property(s => s.Id).HasMaxLength(FieldLimits.SiteId);
            site.Property(s => s.Name).HasMaxLength(200);
        });

        model.Entity<Comment>(comment =>
        {
            comment.ToTable("comments");
            comment.HasKey(c => c.Id);
            comment.Property(c => c.SiteId).HasMaxLength(FieldLimits.SiteId);
            comment.Property(c => c.ThreadId).HasMaxLength(FieldLimits.ThreadId);
            comment.Property(c => c.ThreadUrl).HasMaxLength(FieldLimits.Url);
            comment.Property(c => c.ThreadTitle).HasMaxLength(FieldLimits.ThreadTitle);
            comment.Property(c => c.AuthorName).HasMaxLength(FieldLimits.AuthorName);
            comment.Property(c => c.AuthorEmail).HasMaxLength(FieldLimits.AuthorEmail);
            comment.Property(c => c.EmailHash).HasMaxLength(64);
            comment.Property(c => c.AuthorUrl).HasMaxLength(FieldLimits.Url);
            comment.Property(c => c.Body).HasMaxLength(FieldLimits.Body);
            comment.Property(c => c.ClientIp).HasMaxLength(64);
            comment.Property(c => c.UserAgent).HasMaxLength(512);
            comment.Property(c => c.Referrer).HasMaxLength(FieldLimits.Url);
            comment.Property(c => c.Language).HasMaxLength(100);
            comment.Property(c => c.Status).HasConversion<string>().HasMaxLength(16);
            comment.Property(c => c.ModelVersion).HasMaxLength(100);
            comment.Property(c => c.DecidedBy).HasMaxLength(200);
            comment.Property(c => c.RejectReason).HasMaxLength(50);
            comment.Property(c => c.DomainVote).HasConversion<string>().HasMaxLength(16);
            comment.HasOne<Site>().WithMany().HasForeignKey(c => c.SiteId);
            // The read path: approved comments of one thread, oldest first.
            comment.HasIndex(c => new { c.SiteId, c.ThreadId, c.Status, c.SubmittedAt, c.Id });
            comment.HasIndex(c => new { c.Status, c.SubmittedAt });
            // One author's comments (privacy requests, a comment's history) and their approved ones on a site (the
            // rules' trust in regulars, for every comment scored).
            comment.HasIndex(c => new { c.EmailHash, c.SiteId, c.Status });
            comment.HasIndex(c => c.ClientIp);
            // The queues: by site and status, newest first or by score.
            comment.HasIndex(c => new { c.SiteId, c.Status, c.SubmittedAt });
            comment.HasIndex(c => new { c.SiteId, c.Status, c.SpamScore });
            comment.HasIndex(c => new { c.Status, c.SpamScore });
            comment.HasIndex(c => new { c.ReportCount, c.LastReportedAt });
        });

        model.Entity<Ban>(ban =>
        {
            ban.ToTable("bans");
            ban.HasKey(b => b.Id);
            ban.Property(b => b.SiteId).HasMaxLength(FieldLimits.SiteId);
            ban.Property(b => b.Kind).HasConversion<string>().HasMaxLength(16);
            ban.Property(b => b.Value).HasMaxLength(128);
            ban.Property(b => b.Reason).HasMaxLength(500);
            ban.Property(b => b.CreatedBy).HasMaxLength(200);
            ban.HasIndex(b => new { b.Kind, b.Value });
        });

        model.Entity<Label>(label =>
        {
            label.ToTable("labels");
            label.HasKey(l => l.CommentId);
            label.Property(l => l.Kind).HasConversion<string>().HasMaxLength(16);
            label.Property(l => l.By).HasMaxLength(200);
            label.HasOne<Comment>().WithOne().HasForeignKey<Label>(l => l.CommentId).OnDelete(DeleteBehavior.Cascade);
        });

        model.Entity<Report>(report =>
        {
            report.ToTable("reports");
            report.HasKey(r => r.Id);
            report.Property(r => r.SiteId).HasMaxLength(FieldLimits.SiteId);
            report.Property(r => r.Reason).HasConversion<string>().HasMaxLength(16);
            report.Property(r => r.ReporterHash).HasMaxLength(64);
            report.HasIndex(r => new { r.CommentId, r.ReporterHash }).IsUnique();
            report.HasOne<Comment>().WithMany().HasForeignKey(r => r.CommentId).OnDelete(DeleteBehavior.Cascade);
        });

        model.Entity<ApiKey>(key =>
        {
            key.ToTable("api_keys");
            key.HasKey(k => k.Id);
            key.Property(k => k.Name).HasMaxLength(200);
            key.Property(k => k.KeyHash).HasMaxLength(64);
            key.Property(k => k.Prefix).HasMaxLength(16);
            key.Property(k => k.Role).HasConversion<string>().HasMaxLength(16);
            key.Property(k => k.CreatedBy).HasMaxLength(200);
            key.HasIndex(k => k.KeyHash).IsUnique();
        });

        model.Entity<AuditEntry>(entry =>
        {
            entry.ToTable("audit_log");
            entry.HasKey(a => a.Id);
            entry.Property(a => a.Actor).HasMaxLength(200);
            entry.Property(a => a.Action).HasMaxLength(64);
            entry.Property(a => a.TargetType).HasMaxLength(32);
            entry.Property(a => a.TargetId).HasMaxLength(200);
            entry.Property(a => a.SiteId).HasMaxLength(FieldLimits.SiteId);
            entry.HasIndex(a => a.At);
            entry.HasIndex(a => new { a.TargetType, a.TargetId });
            entry.HasIndex(a => new { a.SiteId, a.At });
        });

        model.Entity<TrainingJob>(job =>
        {
            job.ToTable("training_jobs");
            job.HasKey(j => j.Id);
            job.Property(j => j.RequestedBy).HasMaxLength(200);
            job.Property(j => j.State).HasConversion<string>().HasMaxLength(16);
            job.Property(j => j.Message).HasMaxLength(500);
            job.Property(j => j.ResultVersion).HasMaxLength(100);
            job.HasIndex(j => j.RequestedAt);
        });

        model.Entity<OutboxMessage>(message =>
        {
            message.ToTable("outbox_messages");
            message.HasKey(m => m.Id);
            message.Property(m => m.MessageType).HasMaxLength(100);
            message.Property(m => m.LastError).HasMaxLength(1000);
            // The dispatcher's sweep: what is due, oldest first.
            message.HasIndex(m => new { m.NextAttemptAt, m.CreatedAt });
        });

        model.Entity<DomainReputation>(domain =>
        {
            domain.ToTable("domain_reputation");
            // The scorer looks a batch's domains up by this key; the counters are upserted on it.
            domain.HasKey(d => new { d.Domain, d.Scope });
            domain.Property(d => d.Domain).HasMaxLength(FieldLimits.Domain);
            domain.Property(d => d.Scope).HasMaxLength(FieldLimits.SiteId);
            domain.Property(d => d.Override).HasConversion<string>().HasMaxLength(16);
            domain.Property(d => d.OverrideBy).HasMaxLength(200);
            domain.Ignore(d => d.SiteId);
            // The admin listing: most spam first.
            domain.HasIndex(d => new { d.SpamCount, d.Domain });
        });

        model.Entity<SpamModelVersion>(spamModel =>
        {
            spamModel.ToTable("spam_models");
            spamModel.HasKey(m => m.Version);
            spamModel.Property(m => m.Version).HasMaxLength(100);
            spamModel.Property(m => m.Trainer).HasMaxLength(100);
        });
    }
}

public sealed class PostgresModerationDb(DbContextOptions<PostgresModerationDb> options) : ModerationDb(options);

public sealed class SqliteModerationDb(DbContextOptions<SqliteModerationDb> options) : ModerationDb(options);
