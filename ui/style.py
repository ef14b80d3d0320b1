"""The look: a calm, readable stylesheet and a font list that renders Chinese on every workstation."""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

# Latin first, then CJK fallbacks found on Windows, macOS and Debian (Noto CJK, WenQuanYi).
FONT_FAMILIES = [
    "Segoe UI",
    "Noto Sans",
    "DejaVu Sans",
    "Microsoft YaHei",
    "PingFang SC",
    "Noto Sans CJK SC",
    "WenQuanYi Micro Hei",
]

ACCENT = "#2f6f9f"

STYLESHEET = f"""
QWidget {{ font-size: 10.5pt; color: #1f2933; }}
QMainWindow, QDialog, QWizard {{ background: #f7f9fb; }}
QListWidget#navigation {{
    background: #e8eef3; border: none; padding: 6px; font-size: 11pt; min-width: 170px;
}}
QListWidget#navigation::item {{ padding: 9px 12px; border-radius: 4px; }}
QListWidget#navigation::item:selected {{ background: {ACCENT}; color: white; }}
QLabel#pageTitle {{ font-size: 15pt; font-weight: 600; padding: 4px 0 8px 0; }}
QLabel#hint {{ color: #52606d; }}
QLabel#error {{ color: #b42318; font-weight: 600; }}
QLabel#ok {{ color: #1e7b34; }}
QLabel#banner {{
    background: #fff4ce; color: #5c3c00; border: 1px solid #e5c76b; padding: 6px 10px;
}}
QLabel#recoveryCode {{
    font-family: "DejaVu Sans Mono", "Consolas", monospace; font-size: 16pt; font-weight: 600;
    background: white; border: 1px solid #9aa5b1; padding: 12px; letter-spacing: 1px;
}}
QPushButton {{
    padding: 5px 14px; border: 1px solid #9aa5b1; border-radius: 4px; background: white;
}}
QPushButton:hover {{ background: #eef2f6; }}
QPushButton:default {{ background: {ACCENT}; color: white; border-color: {ACCENT}; }}
QPushButton:disabled {{ color: #9aa5b1; background: #f0f2f4; }}
QLineEdit, QComboBox, QSpinBox {{
    padding: 4px 6px; border: 1px solid #9aa5b1; border-radius: 3px; background: white;
}}
QLineEdit:focus, QComboBox:focus, QSpinBox:focus {{ border: 1px solid {ACCENT}; }}
QTableView {{
    background: white; alternate-background-color: #f3f6f9; gridline-color: #d9e2ec;
    selection-background-color: #cfe3f3; selection-color: #1f2933;
}}
QHeaderView::section {{
    background: #e8eef3; padding: 5px; border: none; border-bottom: 1px solid #cbd2d9;
    font-weight: 600;
}}
QWidget#lockOverlay {{ background: #dfe6ec; }}
QDialogButtonBox {{ dialogbuttonbox-buttons-have-icons: 0; }}
QTableView::item {{ padding: 0 6px; }}
QLabel#userLabel {{ color: #52606d; padding: 6px 16px 0 0; }}
QTreeWidget {{ background: white; }}
"""


def apply(app: QApplication) -> None:
    font = QFont()
    font.setFamilies(FONT_FAMILIES)
    font.setPointSizeF(10.5)
    app.setFont(font)
    app.setStyle("Fusion")
    app.setStyleSheet(STYLESHEET)
