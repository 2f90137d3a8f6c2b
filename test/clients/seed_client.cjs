const axios = require('axios');
const fs = require('fs');

const BASE_URL = 'http://localhost:8000';

// 이미지를 Base64로 인코딩
function encodeImage(imagePath) {
  const imageBuffer = fs.readFileSync(imagePath);
  return imageBuffer.toString('base64');
}

// Base64를 이미지로 디코딩
function decodeImage(base64Str, outputPath) {
  const imageBuffer = Buffer.from(base64Str, 'base64');
  fs.writeFileSync(outputPath, imageBuffer);
}

// 서버 상태 확인
async function checkHealth() {
  const response = await axios.get(`${BASE_URL}/health`);
  return response.data.status === 'healthy';
}

// 폰트 목록 조회
async function getFonts() {
  const response = await axios.get(`${BASE_URL}/fonts`);
  return response.data.fonts;
}

// 광고 생성 작업 시작
async function generateAd(inputImagePath, bgPrompt, textContent, fontName = null) {
  const inputImageB64 = encodeImage(inputImagePath);
  
  const payload = {
    start_step: 1,
    product_image: inputImageB64,
    bg_prompt: bgPrompt,
    text_content: textContent,
    font_name: fontName
  };
  
  try {
    const response = await axios.post(`${BASE_URL}/generate`, payload);
    return response.data.job_id;
  } catch (error) {
    if (error.response && error.response.status === 503) {
      const retryAfter = error.response.data.retry_after;
      throw new Error(`Server busy. Retry after ${retryAfter}s`);
    }
    throw error;
  }
}

// 작업 상태 폴링
async function pollStatus(jobId, interval = 3000) {
  while (true) {
    const response = await axios.get(`${BASE_URL}/status/${jobId}`);
    const data = response.data;
    
    const { status, progress_percent, current_step } = data;
    console.log(`Status: ${status} | Progress: ${progress_percent}% | Step: ${current_step}`);
    
    if (status === 'completed') {
      return data;
    } else if (status === 'failed') {
      throw new Error(`Job failed: ${data.message}`);
    } else if (status === 'stopped') {
      throw new Error('Job stopped by user');
    }
    
    await new Promise(resolve => setTimeout(resolve, interval));
  }
}

// 메인 함수
async function main() {
  try {
    // 1. 서버 상태 확인
    if (!await checkHealth()) {
      console.log('Server is busy');
      return;
    }
    
    // 2. 폰트 목록 조회
    const fonts = await getFonts();
    console.log(`Available fonts: ${fonts.length}`);
    
    // 3. 광고 생성
    const jobId = await generateAd(
      'product.png',
      'modern office with natural lighting',
      'New Product',
      fonts[0] || null
    );
    console.log(`Job started: ${jobId}`);
    
    // 4. 상태 폴링
    const result = await pollStatus(jobId);
    
    // 5. 결과 저장
    if (result.final_result) {
      decodeImage(result.final_result, 'output.png');
      console.log('Result saved to output.png');
    }
    
    // 6. 작업 정리
    await axios.delete(`${BASE_URL}/jobs/${jobId}`);
    console.log('Job cleaned up');
    
  } catch (error) {
    console.error('Error:', error.message);
  }
}

main();
