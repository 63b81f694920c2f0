using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Moderation.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AuthorHistoryIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_comments_EmailHash",
                table: "comments");

            migrationBuilder.CreateIndex(
                name: "IX_comments_EmailHash_SiteId_Status",
                table: "comments",
                columns: new[] { "EmailHash", "SiteId", "Status" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_comments_EmailHash_SiteId_Status",
                table: "comments");

            migrationBuilder.CreateIndex(
                name: "IX_comments_EmailHash",
                table: "comments",
                column: "EmailHash");
        }
    }
}
