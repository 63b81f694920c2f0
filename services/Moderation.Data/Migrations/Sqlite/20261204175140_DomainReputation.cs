using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Moderation.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class DomainReputation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "DomainVote",
                table: "comments",
                type: "TEXT",
                maxLength: 16,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "domain_reputation",
                columns: table => new
                {
                    Domain = table.Column<string>(type: "TEXT", maxLength: 253, nullable: false),
                    Scope = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    SpamCount = table.Column<int>(type: "INTEGER", nullable: false),
                    HamCount = table.Column<int>(type: "INTEGER", nullable: false),
                    LastSeenAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Override = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    OverrideBy = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    OverrideAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_domain_reputation", x => new { x.Domain, x.Scope });
                });

            migrationBuilder.CreateIndex(
                name: "IX_domain_reputation_SpamCount_Domain",
                table: "domain_reputation",
                columns: new[] { "SpamCount", "Domain" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "domain_reputation");

            migrationBuilder.DropColumn(
                name: "DomainVote",
                table: "comments");
        }
    }
}
