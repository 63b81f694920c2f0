using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Moderation.Data.Migrations.Postgres
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
                    Id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    AllowedOrigins = table.Column<List<string>>(type: "text[]", nullable: false),
                    ApproveBelow = table.Column<double>(type: "double precision", nullable: false),
                    RejectAbove = table.Column<double>(type: "double precision", nullable: false),
                    MaxLinks = table.Column<int>(type: "integer", nullable: false),
                    HoldWords = table.Column<List<string>>(type: "text[]", nullable: false),
                    BlockWords = table.Column<List<string>>(type: "text[]", nullable: false),
                    PremoderateAll = table.Column<bool>(type: "boolean", nullable: false),
                    TrustApprovedAuthors = table.Column<bool>(type: "boolean", nullable: false),
                    CloseAfterDays = table.Column<int>(type: "integer", nullable: true),
                    CommentsPerMinutePerIp = table.Column<int>(type: "integer", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_sites", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "comments",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    SiteId = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    ThreadId = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    ThreadUrl = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    ThreadTitle = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    ParentId = table.Column<Guid>(type: "uuid", nullable: true),
                    AuthorName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    AuthorEmail = table.Column<string>(type: "character varying(254)", maxLength: 254, nullable: false),
                    EmailHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    AuthorUrl = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    Body = table.Column<string>(type: "character varying(5000)", maxLength: 5000, nullable: false),
                    ClientIp = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    UserAgent = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: true),
                    Referrer = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    Language = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    HoneypotFilled = table.Column<bool>(type: "boolean", nullable: false),
                    ElapsedMs = table.Column<int>(type: "integer", nullable: true),
                    SubmittedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ScoredAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    PublishedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    SpamScore = table.Column<double>(type: "double precision", nullable: true),
                    ModelVersion = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    ApproveBelowUsed = table.Column<double>(type: "double precision", nullable: true),
                    RejectAboveUsed = table.Column<double>(type: "double precision", nullable: true),
                    Reasons = table.Column<List<string>>(type: "text[]", nullable: false)
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
