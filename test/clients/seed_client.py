import requests
import base64
import time
from pathlib import Path

# 서버 URL
BASE_URL = "http://localhost:8000"

def encode_image(image_path: str) -> str:
    """이미지를 Base64로 인코딩"""
    with open(image_path, "rb") as f:
        return base64.b64encode(f.read()).decode()

def decode_image(base64_str: str, output_path: str):
    """Base64를 이미지로 디코딩"""
    img_data = base64.b64decode(base64_str)
    with open(output_path, "wb") as f:
        f.write(img_data)

def check_health() -> bool:
    """서버 상태 확인"""
    response = requests.get(f"{BASE_URL}/health")
    data = response.json()
    return data["status"] == "healthy"

def get_fonts() -> list:
    """폰트 목록 조회"""
    response = requests.get(f"{BASE_URL}/fonts")
    return response.json()["fonts"]

def generate_ad(input_image_path: str, bg_prompt: str, text_content: str, 
                font_name: str = None) -> str:
    """광고 생성 작업 시작"""
    # 이미지 인코딩
    input_image_b64 = encode_image(input_image_path)
    
    # 요청 데이터
    payload = {
        "start_step": 1,
        "product_image": input_image_b64,
        "bg_prompt": bg_prompt,
        "text_content": text_content,
        "font_name": font_name
    }
    
    # 작업 시작
    response = requests.post(f"{BASE_URL}/generate", json=payload)
    
    if response.status_code == 503:
        retry_after = response.json()["retry_after"]
        raise Exception(f"Server busy. Retry after {retry_after}s")
    
    return response.json()["job_id"]

def poll_status(job_id: str, interval: int = 3) -> dict:
    """작업 상태 폴링"""
    while True:
        response = requests.get(f"{BASE_URL}/status/{job_id}")
        data = response.json()
        
        status = data["status"]
        progress = data["progress_percent"]
        current_step = data["current_step"]
        
        print(f"Status: {status} | Progress: {progress}% | Step: {current_step}")
        
        if status == "completed":
            return data
        elif status == "failed":
            raise Exception(f"Job failed: {data['message']}")
        elif status == "stopped":
            raise Exception("Job stopped by user")
        
        time.sleep(interval)

def main():
    # 1. 서버 상태 확인
    if not check_health():
        print("Server is busy")
        return
    
    # 2. 폰트 목록 조회
    fonts = get_fonts()
    print(f"Available fonts: {len(fonts)}")
    
    # 3. 광고 생성
    job_id = generate_ad(
        input_image_path="product.png",
        bg_prompt="modern office with natural lighting",
        text_content="New Product",
        font_name=fonts[0] if fonts else None
    )
    print(f"Job started: {job_id}")
    
    # 4. 상태 폴링
    result = poll_status(job_id)
    
    # 5. 결과 저장
    if result["final_result"]:
        decode_image(result["final_result"], "output.png")
        print("Result saved to output.png")
    
    # 6. 작업 정리
    requests.delete(f"{BASE_URL}/jobs/{job_id}")
    print("Job cleaned up")

if __name__ == "__main__":
    main()
