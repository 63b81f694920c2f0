using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Moderation.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "sites",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    AllowedOrigins = table.Column<string>(type: "TEXT", nullable: false),
                    ApproveBelow = table.Column<double>(type: "REAL", nullable: false),
                    RejectAbove = table.Column<double>(type: "REAL", nullable: false),
                    MaxLinks = table.Column<int>(type: "INTEGER", nullable: false),
                    HoldWords = table.Column<string>(type: "TEXT", nullable: false),
                    BlockWords = table.Column<string>(type: "TEXT", nullable: false),
                    PremoderateAll = table.Column<bool>(type: "INTEGER", nullable: false),
                    TrustApprovedAuthors = table.Column<bool>(type: "INTEGER", nullable: false),
                    CloseAfterDays = table.Column<int>(type: "INTEGER", nullable: true),
                    CommentsPerMinutePerIp = table.Column<int>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_sites", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "comments",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    SiteId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    ThreadId = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    ThreadUrl = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    ThreadTitle = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    ParentId = table.Column<Guid>(type: "TEXT", nullable: true),
                    AuthorName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    AuthorEmail = table.Column<string>(type: "TEXT", maxLength: 254, nullable: false),
                    EmailHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    AuthorUrl = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    Body = table.Column<string>(type: "TEXT", maxLength: 5000, nullable: false),
                    ClientIp = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    UserAgent = table.Column<string>(type: "TEXT", maxLength: 512, nullable: true),
                    Referrer = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    Language = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    HoneypotFilled = table.Column<bool>(type: "INTEGER", nullable: false),
                    ElapsedMs = table.Column<int>(type: "INTEGER", nullable: true),
                    SubmittedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ScoredAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    PublishedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    SpamScore = table.Column<double>(type: "REAL", nullable: true),
                    ModelVersion = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    ApproveBelowUsed = table.Column<double>(type: "REAL", nullable: true),
                    RejectAboveUsed = table.Column<double>(type: "REAL", nullable: true),
                    Reasons = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_comments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_comments_sites_SiteId",
                        column: x => x.SiteId,
                        principalTable: "sites",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_comments_EmailHash",
                table: "comments",
                column: "EmailHash");

            migrationBuilder.CreateIndex(
                name: "IX_comments_SiteId_ThreadId_Status_SubmittedAt_Id",
                table: "comments",
                columns: new[] { "SiteId", "ThreadId", "Status", "SubmittedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_comments_Status_SubmittedAt",
                table: "comments",
                columns: new[] { "Status", "SubmittedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "comments");

            migrationBuilder.DropTable(
                name: "sites");
        }
    }
}
